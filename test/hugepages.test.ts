import { describe, expect, it } from 'vitest';
import { withHugePages } from '../bin/hugepages.js';

describe('withHugePages', () => {
  const linux = process.platform === 'linux';
  it.runIf(linux)('asks glibc for huge pages and keeps the other tunables', () => {
    expect(withHugePages({}).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=1');
    expect(withHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    );
  });
  it('leaves an explicit hugetlb setting alone', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0', PATH: '/bin' };
    expect(withHugePages(env)).toEqual(env);
  });
  it('does not change the caller’s environment object', () => {
    const env = { PATH: '/bin' };
    withHugePages(env);
    expect(env).toEqual({ PATH: '/bin' });
  });
});
