/**
 * Naive float64 reference of one direction of PyTorch's nn.GRU over padded sequences, written
 * per sequence straight from the documented equations (gate order r, z, n):
 *   r = σ(x_r + W_hr h + b_hr), z = σ(x_z + W_hz h + b_hz), n = tanh(x_n + r ⊙ (W_hn h + b_hn)),
 *   h' = (1 − z) ⊙ n + z ⊙ h, h0 = 0,
 * with x = xProj[t, b] (the input projection x_t·W_ihᵀ + b_ih). Layouts as Backend.gruForward:
 * xProj [T,B,3H], whh [3H,H], bhh [3H], hAll [T,B,H], hLast [B,H].
 */
type Arr = ArrayLike<number>;

export interface GruRefProblem {
  steps: number;
  batch: number;
  hidden: number;
  reverse: boolean;
  xProj: Arr;
  whh: Arr;
  bhh: Arr;
  lengths: Arr;
}

export interface GruRefForward {
  hAll: Float64Array;
  hLast: Float64Array;
}

export interface GruRefGradients {
  dxProj: Float64Array;
  dwhh: Float64Array;
  dbhh: Float64Array;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Steps of sequence b in processing order: 0..len−1, or len−1..0 when reverse. */
function order(p: GruRefProblem, b: number): number[] {
  const steps = Array.from({ length: p.lengths[b] }, (_, i) => i);
  return p.reverse ? steps.reverse() : steps;
}

interface StepGates { r: number[]; z: number[]; n: number[]; hn: number[]; h: number[] }

/** One GRU step for sequence b at time t from previous state hPrev. */
function step(p: GruRefProblem, t: number, b: number, hPrev: number[]): StepGates {
  const H = p.hidden;
  const x = (gate: number, j: number) => p.xProj[(t * p.batch + b) * 3 * H + gate * H + j];
  const wh = (gate: number, j: number) => {
    let s = p.bhh[gate * H + j];
    for (let i = 0; i < H; i++) s += p.whh[(gate * H + j) * H + i] * hPrev[i];
    return s;
  };
  const g: StepGates = { r: [], z: [], n: [], hn: [], h: [] };
  for (let j = 0; j < H; j++) {
    g.r.push(sigmoid(x(0, j) + wh(0, j)));
    g.z.push(sigmoid(x(1, j) + wh(1, j)));
    g.hn.push(wh(2, j));
    g.n.push(Math.tanh(x(2, j) + g.r[j] * g.hn[j]));
    g.h.push((1 - g.z[j]) * g.n[j] + g.z[j] * hPrev[j]);
  }
  return g;
}

export function gruForwardRef(p: GruRefProblem): GruRefForward {
  const H = p.hidden;
  const hAll = new Float64Array(p.steps * p.batch * H);
  const hLast = new Float64Array(p.batch * H);
  for (let b = 0; b < p.batch; b++) {
    let h = new Array<number>(H).fill(0);
    for (const t of order(p, b)) {
      h = step(p, t, b, h).h;
      for (let j = 0; j < H; j++) hAll[(t * p.batch + b) * H + j] = h[j];
    }
    for (let j = 0; j < H; j++) hLast[b * H + j] = h[j];
  }
  return { hAll, hLast };
}

/**
 * Gradients of L = Σ dhAll ⊙ hAll + Σ dhLast ⊙ hLast (padded entries of dhAll ignored), by
 * backpropagation per sequence with the gates recomputed from the stored states.
 */
export function gruBackwardRef(p: GruRefProblem, dhAll: Arr, dhLast: Arr): GruRefGradients {
  const H = p.hidden;
  const dxProj = new Float64Array(p.steps * p.batch * 3 * H);
  const dwhh = new Float64Array(3 * H * H);
  const dbhh = new Float64Array(3 * H);
  for (let b = 0; b < p.batch; b++) {
    const ts = order(p, b);
    const prevStates: number[][] = [];
    let h = new Array<number>(H).fill(0);
    for (const t of ts) {
      prevStates.push(h);
      h = step(p, t, b, h).h;
    }
    let dh = Array.from({ length: H }, (_, j) => dhLast[b * H + j]);
    for (let k = ts.length - 1; k >= 0; k--) {
      const t = ts[k], hPrev = prevStates[k];
      const g = step(p, t, b, hPrev);
      const row = t * p.batch + b;
      const dGate = new Array<number>(3 * H).fill(0);
      const dhPrev = new Array<number>(H).fill(0);
      for (let j = 0; j < H; j++) {
        const total = dh[j] + dhAll[row * H + j];
        const dn = total * (1 - g.z[j]), dz = total * (hPrev[j] - g.n[j]);
        const dnPre = dn * (1 - g.n[j] ** 2);
        const drPre = dnPre * g.hn[j] * g.r[j] * (1 - g.r[j]);
        const dzPre = dz * g.z[j] * (1 - g.z[j]);
        dxProj[row * 3 * H + j] = drPre;
        dxProj[row * 3 * H + H + j] = dzPre;
        dxProj[row * 3 * H + 2 * H + j] = dnPre;
        dGate[j] = drPre;
        dGate[H + j] = dzPre;
        dGate[2 * H + j] = dnPre * g.r[j];
        dhPrev[j] += total * g.z[j];
      }
      for (let q = 0; q < 3 * H; q++) {
        dbhh[q] += dGate[q];
        for (let i = 0; i < H; i++) {
          dwhh[q * H + i] += dGate[q] * hPrev[i];
          dhPrev[i] += dGate[q] * p.whh[q * H + i];
        }
      }
      dh = dhPrev;
    }
  }
  return { dxProj, dwhh, dbhh };
}
