#!/usr/bin/python3
"""Golden values for the training engine: one full Adam training step of the reference SeedNet.

Builds the PyTorch SeedNet of bench/torch_reference.py (the same file the benchmark runs),
loads deterministic weights and inputs, runs one training step (BCE with logits, positive weight 20,
Adam lr 1e-3) and writes the loss, every parameter gradient, every Adam-updated parameter and the
BatchNorm running statistics to test/fixtures/engine/seednet-golden.{json,bin}.

Weights and inputs are not stored: both sides draw them from the same integer PRNG (mulberry32,
exact in Python and JavaScript), and the manifest keeps a checksum of each weight tensor so the
test can prove it rebuilt the very same values. The step runs in float64 so the fixture holds the
exact answer; the engine's float32 result is compared with it.

  /usr/bin/python3 scripts/make-golden.py
"""
import json, os, struct, sys

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))
from torch_reference import SeedNet  # noqa: E402

N, TYPES, T, H, W = 2, 3, 3, 8, 8
SEED = 1234
POS_WEIGHT, LR = 20.0, 1e-3
M32 = 0xFFFFFFFF


class Mulberry32:
    """Same generator as src/main/engine/runtime/rng.ts (mulberry32)."""

    def __init__(self, seed):
        self.a = seed & M32

    def next(self):
        self.a = (self.a + 0x6D2B79F5) & M32
        a = self.a
        t = ((a ^ (a >> 15)) * (1 | a)) & M32
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & M32)) & M32) ^ t
        return ((t ^ (t >> 14)) & M32) / 4294967296.0

    def uniform(self, n, lo, hi):
        return np.array([lo + (hi - lo) * self.next() for _ in range(n)], dtype=np.float32)


def fill_weights(net, rng):
    """Parameters in named_parameters() order; conv bound 1/sqrt(fan_in) like torch's default init."""
    for name, p in net.named_parameters():
        n = p.numel()
        if name.startswith('bn') and name.endswith('weight'):
            vals = rng.uniform(n, 0.8, 1.2)
        elif name.startswith('bn'):
            vals = rng.uniform(n, -0.2, 0.2)
        else:
            fan_in = p.shape[1] * int(np.prod(p.shape[2:])) if p.dim() > 1 else None
            if fan_in is None:  # a bias: the fan-in of the weight just before it
                fan_in = prev_fan_in
            b = 1.0 / np.sqrt(fan_in)
            vals = rng.uniform(n, -b, b)
            prev_fan_in = fan_in
        with torch.no_grad():
            p.copy_(torch.from_numpy(vals.astype(np.float64)).view_as(p))


def main():
    torch.manual_seed(0)
    net = SeedNet(TYPES, T).double()
    rng = Mulberry32(SEED)
    fill_weights(net, rng)
    x = torch.from_numpy((rng.uniform(N * TYPES * T * H * W, 0, 1) < 0.3).astype(np.float64)).view(N, TYPES, T, H, W)
    y = torch.from_numpy((rng.uniform(N * H * W, 0, 1) < 0.2).astype(np.float64)).view(N, 1, H, W)
    before = {k: p.detach().clone() for k, p in net.named_parameters()}

    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    lossf = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(POS_WEIGHT, dtype=torch.float64))
    opt.zero_grad()
    loss = lossf(net(x), y)
    loss.backward()
    grads = {k: p.grad.detach().clone() for k, p in net.named_parameters()}
    opt.step()

    blobs, tensors, offset = [], [], 0

    def put(arr):
        nonlocal offset
        a = np.ascontiguousarray(arr.detach().numpy().astype('<f4')).ravel()
        blobs.append(a.tobytes())
        start = offset
        offset += a.size
        return start

    for k, p in net.named_parameters():
        w = before[k].numpy().astype(np.float32).astype(np.float64)
        tensors.append({
            'name': k, 'shape': list(p.shape),
            'weightSum': float(w.sum()), 'weightAbsSum': float(np.abs(w).sum()),
            'gradOffset': put(grads[k]), 'updatedOffset': put(p),
        })
    running = []
    for k, b in net.named_buffers():
        if k.endswith('running_mean') or k.endswith('running_var'):
            running.append({'name': k, 'shape': list(b.shape), 'offset': put(b)})
    here = os.path.join(ROOT, 'test', 'fixtures', 'engine')
    with open(os.path.join(here, 'seednet-golden.bin'), 'wb') as f:
        for b in blobs:
            f.write(b)
    manifest = {
        'generator': 'scripts/make-golden.py', 'torch': torch.__version__, 'dtype': 'float32 little-endian',
        'shape': {'batch': N, 'types': TYPES, 'steps': T, 'rows': H, 'cols': W},
        'seed': SEED, 'xThreshold': 0.3, 'yThreshold': 0.2, 'posWeight': POS_WEIGHT, 'lr': LR,
        'loss': float(loss), 'params': tensors, 'running': running, 'floats': offset,
    }
    with open(os.path.join(here, 'seednet-golden.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'loss {float(loss):.6f}, {offset} floats')


if __name__ == '__main__':
    main()
