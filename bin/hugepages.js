// glibc (2.35+) backs large malloc'd blocks with transparent huge pages only when asked to
// (`glibc.malloc.hugetlb=1`; most distributions ship THP in `madvise` mode). onnxruntime's CPU arena
// holds the training step's tensors (1.6 GB at batch 20), which its kernels stream through; with 2 MB
// pages they miss the TLB far less, and a batch-20 train step ran about 3 % faster in interleaved A/B
// runs (bench:train). The tunable is read once, at process start, so the launchers that start node
// or Electron set it for the child. An explicit GLIBC_TUNABLES hugetlb setting wins; other systems
// ignore the variable.
export function withHugePages(env = process.env) {
  if (process.platform !== 'linux' || /glibc\.malloc\.hugetlb=/.test(env.GLIBC_TUNABLES ?? '')) return env;
  const tunables = [env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
  return { ...env, GLIBC_TUNABLES: tunables };
}
