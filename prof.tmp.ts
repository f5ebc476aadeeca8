import { CpuBackend } from './src/kernels/cpu';
import { CnnModel } from './src/nn/models/cnn';
import { lossFor } from './src/nn/models';
import { Rng } from './src/kernels/rng';
const b = new CpuBackend();
const m = new CnnModel(b, 'cnn', { padding: 1, channels: [16, 32], fc: 256, dropout: 0.4 }, 1);
const B = 256;
const rng = new Rng(1);
const x = b.tensor([B, 1568], Array.from({ length: B * 1568 }, () => rng.normal()));
const y = b.tensor([B], Array.from({ length: B }, () => rng.int(100)));
const loss = lossFor(m);
const layers = (m as any).net.layers;
const times = new Map<string, number>();
for (const l of layers) {
  for (const k of ['forward', 'backward'] as const) {
    const orig = l[k].bind(l);
    l[k] = (...a: any[]) => { const t = performance.now(); const r = orig(...a); times.set(l.name + '.' + k, (times.get(l.name + '.' + k) ?? 0) + performance.now() - t); return r; };
  }
}
for (let i = 0; i < 6; i++) {
  if (i === 2) times.clear();
  const t = performance.now();
  m.zeroGrad();
  const out = loss.forward(m.forward(x, true), y);
  m.backward(out.dlogits);
  console.log('step', (performance.now() - t).toFixed(0), 'ms');
}
for (const [k, v] of times) console.log(k.padEnd(24), (v / 4).toFixed(1));
