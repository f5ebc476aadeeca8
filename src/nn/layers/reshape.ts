import type { Backend, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

function sameTail(shape: readonly number[], tail: readonly number[]): boolean {
  return shape.length === tail.length + 1 && tail.every((d, i) => shape[i + 1] === d);
}

function perExample(shape: readonly number[]): number {
  let n = 1;
  for (let i = 1; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * Gives a batch the per-example shape a layer below needs (e.g. [B, 1568] or [B, 28, 56] pixels →
 * [B, 1, 28, 56] for a convolution). A batch already in that shape passes through untouched;
 * otherwise it is copied into a pooled buffer (backend tensors have no views). Backward copies the
 * gradient back into the input's [B, inSize] layout.
 */
export class Reshape implements Layer {
  readonly size: number;
  private readonly out: PerBatch<Tensor>;
  private readonly back: PerBatch<Tensor>;
  private copied = false;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly shape: readonly number[],
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    this.out = new PerBatch((b) => backend.tensor([b, ...shape]), (t) => backend.dispose(t));
    this.back = new PerBatch((b) => backend.tensor([b, this.size]), (t) => backend.dispose(t));
  }

  params(): Param[] {
    return [];
  }

  forward(x: Tensor): Tensor {
    this.copied = !sameTail(x.shape, this.shape);
    if (!this.copied) return x;
    if (perExample(x.shape) !== this.size) {
      throw new Error(`${this.name}: expected ${this.size} values ${fmt(this.shape)} per example, got ${fmt(x.shape)}`);
    }
    const y = this.out.get(batchOf(x));
    this.backend.copy(x, y);
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.copied) return dy;
    const dx = this.back.get(batchOf(dy));
    this.backend.copy(dy, dx);
    return dx;
  }

  dispose(): void {
    this.out.dispose();
    this.back.dispose();
  }
}

/**
 * [B, C, H, W] → [B, C·H·W] in (C, H, W) order, PyTorch's flatten. Forward is free: the next
 * Dense reads a tensor as [rows, size/rows], so the feature map passes through as is. Backward
 * copies the 2-D gradient into a pooled [B, C, H, W] buffer, the shape pooling layers check.
 */
export class Flatten implements Layer {
  readonly size: number;
  private readonly back: PerBatch<Tensor>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly inShape: readonly number[],
  ) {
    this.size = inShape.reduce((a, b) => a * b, 1);
    this.back = new PerBatch((b) => backend.tensor([b, ...inShape]), (t) => backend.dispose(t));
  }

  params(): Param[] {
    return [];
  }

  forward(x: Tensor): Tensor {
    if (perExample(x.shape) !== this.size) {
      throw new Error(`${this.name}: expected ${fmt(this.inShape)} per example, got ${fmt(x.shape)}`);
    }
    return x;
  }

  backward(dy: Tensor): Tensor {
    if (sameTail(dy.shape, this.inShape)) return dy;
    const dx = this.back.get(batchOf(dy));
    this.backend.copy(dy, dx);
    return dx;
  }

  dispose(): void {
    this.back.dispose();
  }
}
