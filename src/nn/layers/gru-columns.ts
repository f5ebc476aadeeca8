import type { Backend, MatmulOptions, Tensor } from '../../kernels/backend';
import type { Param } from '../types';

const PLAIN: MatmulOptions = {};
const TRANS_A: MatmulOptions = { transA: true };
const TRANS_B_ACC: MatmulOptions = { transB: true, accumulate: true };

/**
 * Equal column blocks of a weight W [rows, count·width] as separate [rows, width] tensors.
 *
 * A layer that reads concat(a, b) computes x·Wᵀ = a·W_aᵀ + b·W_bᵀ instead, because the backend
 * has neither a concat nor strided views. The blocks are cut with a 0/1 selection matmul
 * (W_i = W·S_i, S_i [count·width, width] = the identity at rows i·width…), which is exact and
 * runs on any backend; its O(rows·width²) cost is small next to the sequence matmuls. The param
 * keeps PyTorch's layout, so state dicts, optimizers and clipping see one ordinary tensor.
 */
export class ColumnBlocks {
  /** blocks[i] = W[:, i·width … (i+1)·width), valid after refresh(). */
  readonly blocks: Tensor[];
  private readonly selectors: Tensor[];
  /** [rows, width]: one block's gradient before it is scattered into W.grad. */
  private readonly gradBlock: Tensor;

  constructor(
    private readonly backend: Backend,
    readonly param: Param,
    readonly count: number,
  ) {
    const [rows, cols] = param.value.shape;
    if (param.value.shape.length !== 2 || cols % count !== 0) {
      throw new Error(`${param.name}: [${param.value.shape.join(',')}] cannot be cut into ${count} equal column blocks`);
    }
    const width = cols / count;
    this.selectors = Array.from({ length: count }, (_, i) => backend.tensor([cols, width], selector(cols, width, i)));
    this.blocks = Array.from({ length: count }, () => backend.tensor([rows, width]));
    this.gradBlock = backend.tensor([rows, width]);
  }

  /** Copies the param's current values into the blocks (weights change every optimizer step). */
  refresh(): void {
    for (let i = 0; i < this.count; i++) this.backend.matmul(this.param.value, this.selectors[i], this.blocks[i], PLAIN);
  }

  /** W.grad[:, block i] += dyᵀ·x for dy [M, rows] and x [M, width] (the block's input). */
  accumulateGrad(block: number, dy: Tensor, x: Tensor): void {
    this.backend.matmul(dy, x, this.gradBlock, TRANS_A);
    this.backend.matmul(this.gradBlock, this.selectors[block], this.param.grad, TRANS_B_ACC);
  }

  dispose(): void {
    for (const t of [...this.selectors, ...this.blocks, this.gradBlock]) this.backend.dispose(t);
  }
}

function selector(cols: number, width: number, block: number): Float64Array {
  const s = new Float64Array(cols * width);
  for (let j = 0; j < width; j++) s[(block * width + j) * width + j] = 1;
  return s;
}
