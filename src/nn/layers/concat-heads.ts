import type { Backend, MatmulOptions, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import type { Dense } from './dense';
import { PerBatch, batchOf, type Layer } from './layer';

interface HeadBuffers {
  y: Tensor;
  dx: Tensor;
  /** Per head: its slice of dL/dy. */
  dHead: Tensor[];
}

const OVERWRITE: MatmulOptions = {};
const ACCUMULATE: MatmulOptions = { accumulate: true };
const TIMES_T: MatmulOptions = { transB: true };

/**
 * Several Dense heads on one shared input, their outputs side by side: y [B, Σ outᵢ] (head 1's
 * columns first), as `torch.cat([head1(h), head2(h)], 1)`. Backends have no strided views, so
 * each head's block is placed by a constant 0/1 selection matrix Sᵢ [outᵢ, Σ out]
 * (y = Σ yᵢ·Sᵢ, dyᵢ = dy·Sᵢᵀ): tiny matmuls that run on any backend.
 */
export class ConcatHeads implements Layer {
  readonly width: number;
  private readonly select: Tensor[];
  private readonly allParams: Param[];
  private readonly buffers: PerBatch<HeadBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly heads: readonly Dense[],
  ) {
    this.width = heads.reduce((a, h) => a + h.outSize, 0);
    const inSize = heads[0].inSize;
    let offset = 0;
    this.select = heads.map((h) => {
      const s = new Float32Array(h.outSize * this.width);
      for (let i = 0; i < h.outSize; i++) s[i * this.width + offset + i] = 1;
      offset += h.outSize;
      return backend.tensor([h.outSize, this.width], s);
    });
    this.allParams = heads.flatMap((h) => h.params());
    this.buffers = new PerBatch<HeadBuffers>(
      (b) => ({
        y: backend.tensor([b, this.width]),
        dx: backend.tensor([b, inSize]),
        dHead: heads.map((h) => backend.tensor([b, h.outSize])),
      }),
      (s) => [s.y, s.dx, ...s.dHead].forEach((t) => backend.dispose(t)),
    );
  }

  params(): Param[] {
    return this.allParams;
  }

  forward(x: Tensor): Tensor {
    const { y } = this.buffers.get(batchOf(x));
    for (let i = 0; i < this.heads.length; i++) {
      const yi = this.heads[i].forward(x);
      this.backend.matmul(yi, this.select[i], y, i === 0 ? OVERWRITE : ACCUMULATE);
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    const s = this.buffers.get(batchOf(dy));
    for (let i = 0; i < this.heads.length; i++) {
      this.backend.matmul(dy, this.select[i], s.dHead[i], TIMES_T);
      const dxi = this.heads[i].backward(s.dHead[i]);
      if (!dxi) throw new Error(`${this.name}: head ${this.heads[i].name} was built without an input gradient`);
      if (i === 0) this.backend.copy(dxi, s.dx);
      else this.backend.axpy(1, dxi, s.dx);
    }
    return s.dx;
  }

  dispose(): void {
    this.buffers.dispose();
    for (const head of this.heads) head.dispose();
    for (const t of this.select) this.backend.dispose(t);
  }
}
