/**
 * Two tiny networks written directly against the Backend interface (no `nn`: kernels stay below
 * it), to compare whole training steps across backends and to gradient-check a backend end to
 * end: a CNN (direct and im2col convs, activation, max-pool, dense, dropout, softmax CE) and a
 * bidirectional GRU over padded sequences whose loss reads both hLast and hAll. Values come from
 * a seeded Rng, so every backend builds the same network.
 */
import { gruCacheShape, type ActivationKind, type AdamParams, type Backend, type Tensor } from '../backend';
import { Rng } from '../rng';

export interface NetParam {
  name: string;
  value: Tensor;
  grad: Tensor;
}

export interface TinyNet {
  readonly params: NetParam[];
  /** Forward in training mode; returns the [1] loss tensor. */
  forward(): Tensor;
  /** Backward of the last forward: overwrites every param's grad. */
  backward(): void;
  /** One optimizer update of every param (Adam, AdamW, momentum and SGD on different params). */
  update(step: number): void;
  dispose(): void;
}

/** Tensor bookkeeping shared by both nets: seeded values, params with grads, one dispose. */
class NetBuilder {
  readonly params: NetParam[] = [];
  readonly owned: Tensor[] = [];
  private readonly state = new Map<Tensor, Tensor[]>();
  private readonly rng: Rng;

  constructor(readonly b: Backend, seed: number) {
    this.rng = new Rng(seed);
  }

  zeros(shape: number[]): Tensor {
    const t = this.b.tensor(shape);
    this.owned.push(t);
    return t;
  }

  values(shape: number[], scale: number, data?: ArrayLike<number>): Tensor {
    const n = shape.reduce((a, c) => a * c, 1);
    const t = this.b.tensor(shape, data ?? Float64Array.from({ length: n }, () => (this.rng.next() * 2 - 1) * scale));
    this.owned.push(t);
    return t;
  }

  param(name: string, shape: number[], scale: number): Tensor {
    const value = this.values(shape, scale);
    this.params.push({ name, value, grad: this.zeros(shape) });
    this.state.set(value, [this.zeros(shape), this.zeros(shape)]);
    return value;
  }

  /** Param k takes Adam, AdamW, momentum or SGD by k mod 4, so every update kernel runs. */
  update(step: number): void {
    this.params.forEach((p, k) => {
      const [m, v] = this.state.get(p.value)!;
      const adam: AdamParams = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay: 0.01, decoupled: k % 4 === 1 };
      if (k % 4 < 2) this.b.adamStep(p.value, p.grad, m, v, adam);
      else if (k % 4 === 2) this.b.momentumStep(p.value, p.grad, m, 0.05, 0.9, 1e-3);
      else this.b.sgdStep(p.value, p.grad, 0.05, 1e-3);
    });
  }

  dispose(): void {
    for (const t of this.owned.splice(0)) this.b.dispose(t);
  }
}

export interface TinyCnnOptions {
  activation: ActivationKind;
  pool: boolean;
  dropout: number;
}

/** x[3,2,6,9] → conv3×3(5) → act → [pool] → conv3×3(4) → act → dense(7) → act → dropout → dense(4) → CE. */
export function tinyCnn(b: Backend, o: TinyCnnOptions): TinyNet {
  const n = new NetBuilder(b, 7);
  const B = 3, kind = o.activation;
  const [h2, w2] = o.pool ? [3, 4] : [6, 9];
  const x = n.values([B, 2, 6, 9], 1), labels = n.values([B], 0, [2, 0, 3]);
  const w1 = n.param('conv1.weight', [5, 2, 3, 3], 0.4), b1 = n.param('conv1.bias', [5], 0.1);
  const cw2 = n.param('conv2.weight', [4, 5, 3, 3], 0.3), cb2 = n.param('conv2.bias', [4], 0.1);
  const F = 4 * h2 * w2;
  const fw = n.param('fc1.weight', [7, F], 0.2), fb = n.param('fc1.bias', [7], 0.1);
  const fw2 = n.param('fc2.weight', [4, 7], 0.5), fb2 = n.param('fc2.bias', [4], 0.1);
  const [dw1, db1, dw2, db2, dfw, dfb, dfw2, dfb2] = n.params.map((p) => p.grad);
  const a1 = n.zeros([B, 5, 6, 9]), y1 = n.zeros([B, 5, 6, 9]), p1 = o.pool ? n.zeros([B, 5, 3, 4]) : y1;
  const i1 = n.zeros([B, 5, 3, 4]), a2 = n.zeros([B, 4, h2, w2]), y2 = n.zeros([B, 4, h2, w2]);
  const z = n.zeros([B, 7]), hz = n.zeros([B, 7]), mask = n.zeros([B, 7]), hd = n.zeros([B, 7]);
  const logits = n.zeros([B, 4]), probs = n.zeros([B, 4]), dlogits = n.zeros([B, 4]), loss = n.zeros([1]);
  const dhd = n.zeros([B, 7]), dz = n.zeros([B, 7]), dy2 = n.zeros([B, 4, h2, w2]), da2 = n.zeros([B, 4, h2, w2]);
  const dp1 = n.zeros([B, 5, h2, w2]), dy1 = o.pool ? n.zeros([B, 5, 6, 9]) : dp1, da1 = n.zeros([B, 5, 6, 9]);
  return {
    params: n.params,
    forward() {
      b.conv2d(x, w1, b1, a1, 1);
      b.activation(kind, a1, y1);
      if (o.pool) b.maxPool2d(y1, p1, i1);
      b.conv2d(p1, cw2, cb2, a2, 1);
      b.activation(kind, a2, y2);
      b.matmul(y2, fw, z, { transB: true });
      b.addRowVector(z, fb, z);
      b.activation(kind, z, hz);
      b.dropout(hz, mask, hd, o.dropout, 99);
      b.matmul(hd, fw2, logits, { transB: true });
      b.addRowVector(logits, fb2, logits);
      b.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, 0.1);
      return loss;
    },
    backward() {
      b.matmul(dlogits, hd, dfw2, { transA: true });
      b.sumRows(dlogits, dfb2);
      b.matmul(dlogits, fw2, dhd);
      b.mul(dhd, mask, dhd);
      b.activationBackward(kind, z, hz, dhd, dz);
      b.matmul(dz, y2, dfw, { transA: true });
      b.sumRows(dz, dfb);
      b.matmul(dz, fw, dy2);
      b.activationBackward(kind, a2, y2, dy2, da2);
      b.conv2dBackwardWeight(p1, da2, dw2, db2, 1);
      b.conv2dBackwardInput(da2, cw2, dp1, 1);
      if (o.pool) b.maxPool2dBackward(dp1, i1, dy1);
      b.activationBackward(kind, a1, y1, dy1, da1);
      b.conv2dBackwardWeight(x, da1, dw1, db1, 1);
    },
    update: (step) => n.update(step),
    dispose: () => n.dispose(),
  };
}

/**
 * Bidirectional GRU, T=5, B=4, F=3, H=7 (not a multiple of 4), lengths [5,3,0,4]; logits read
 * both directions' hLast and the forward direction's hAll summed over time (a [B, T·B] 0/1
 * matrix S times hAll), so dhAll and dhLast both carry gradient.
 */
export function tinyBiGru(b: Backend): TinyNet {
  const n = new NetBuilder(b, 11);
  const T = 5, B = 4, F = 3, H = 7, C = 3;
  const lengthsHost = [5, 3, 0, 4];
  const x = n.values([T * B, F], 1), labels = n.values([B], 0, [1, 2, 0, 2]);
  const lengths = n.values([B], 0, lengthsHost);
  const sum = n.values([B, T * B], 0, Array.from({ length: B * T * B }, (_, i) => (i % B === Math.floor(i / (T * B)) ? 1 : 0)));
  const dirs = [false, true].map((reverse) => {
    const tag = reverse ? 'reverse' : 'forward';
    const wih = n.param(`${tag}.weight_ih`, [3 * H, F], 0.5), bih = n.param(`${tag}.bias_ih`, [3 * H], 0.2);
    const whh = n.param(`${tag}.weight_hh`, [3 * H, H], 0.4), bhh = n.param(`${tag}.bias_hh`, [3 * H], 0.2);
    return {
      reverse, wih, bih, whh, bhh,
      xProj: n.zeros([T * B, 3 * H]), hAll: n.zeros([T * B, H]), cache: n.zeros(gruCacheShape(T, B, H)), hLast: n.zeros([B, H]),
      dhAll: n.zeros([T * B, H]), dhLast: n.zeros([B, H]), dxProj: n.zeros([T * B, 3 * H]),
    };
  });
  const fcF = n.param('fc.forward_last', [C, H], 0.5), fcR = n.param('fc.reverse_last', [C, H], 0.5);
  const fcS = n.param('fc.forward_sum', [C, H], 0.3), fcB = n.param('fc.bias', [C], 0.1);
  const grad = (t: Tensor): Tensor => n.params.find((p) => p.value === t)!.grad;
  const sumH = n.zeros([B, H]), dSumH = n.zeros([B, H]);
  const logits = n.zeros([B, C]), probs = n.zeros([B, C]), dlogits = n.zeros([B, C]), loss = n.zeros([1]);
  const [fwd, rev] = dirs;
  return {
    params: n.params,
    forward() {
      for (const d of dirs) {
        b.matmul(x, d.wih, d.xProj, { transB: true });
        b.addRowVector(d.xProj, d.bih, d.xProj);
        b.gruForward({ xProj: d.xProj, whh: d.whh, bhh: d.bhh, lengths, reverse: d.reverse, hAll: d.hAll, cache: d.cache, hLast: d.hLast });
      }
      b.matmul(fwd.hLast, fcF, logits, { transB: true });
      b.matmul(rev.hLast, fcR, logits, { transB: true, accumulate: true });
      b.matmul(sum, fwd.hAll, sumH);
      b.matmul(sumH, fcS, logits, { transB: true, accumulate: true });
      b.addRowVector(logits, fcB, logits);
      b.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, 0);
      return loss;
    },
    backward() {
      b.matmul(dlogits, fwd.hLast, grad(fcF), { transA: true });
      b.matmul(dlogits, rev.hLast, grad(fcR), { transA: true });
      b.matmul(dlogits, sumH, grad(fcS), { transA: true });
      b.sumRows(dlogits, grad(fcB));
      b.matmul(dlogits, fcF, fwd.dhLast);
      b.matmul(dlogits, fcR, rev.dhLast);
      b.matmul(dlogits, fcS, dSumH);
      b.matmul(sum, dSumH, fwd.dhAll, { transA: true });
      for (const d of dirs) {
        b.fill(grad(d.whh), 0);
        b.fill(grad(d.bhh), 0);
        b.gruBackward({
          whh: d.whh, lengths, reverse: d.reverse, hAll: d.hAll, cache: d.cache, dhAll: d.dhAll, dhLast: d.dhLast,
          dxProj: d.dxProj, dwhh: grad(d.whh), dbhh: grad(d.bhh),
        });
        b.sumRows(d.dxProj, grad(d.bih));
        b.matmul(d.dxProj, x, grad(d.wih), { transA: true });
      }
    },
    update: (step) => n.update(step),
    dispose: () => n.dispose(),
  };
}
