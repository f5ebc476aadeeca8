import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';
import { reduceSum } from './reduce';

/** Row-wise ops on the [rows, cols] view of flat-layout tensors (callers handle empty inputs). */
const ADD_ROW_VECTOR = `${PRELUDE}
uniform sampler2D u_x, u_bias; uniform int u_cols;
void main() {
  int o = outIndex();
  o_color = vec4(fetchSame(u_x) + fetchFlat(u_bias, o - (o / u_cols) * u_cols), 0.0, 0.0, 0.0);
}`;

/** Column sums: each fragment walks one column down the rows, stepping texel coordinates. */
const sumRowsSource = (accumulate: boolean): string => `${PRELUDE}
uniform sampler2D u_x; uniform int u_rows, u_cols;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int c = outIndex();
  int w = textureSize(u_x, 0).x;
  ivec2 at = ivec2(c % w, c / w);
  ivec2 step = ivec2(u_cols % w, u_cols / w);
  float s = 0.0;
  for (int r = 0; r < u_rows; r++) {
    s += texelFetch(u_x, at, 0).r;
    at += step;
    if (at.x >= w) { at.x -= w; at.y += 1; }
  }
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const SUM_ROWS = sumRowsSource(false);
const SUM_ROWS_ACC = sumRowsSource(true);

/** First index of the row maximum; a NaN maximum yields to any number (as the CPU kernel). */
const ARGMAX_ROWS = `${PRELUDE}
uniform sampler2D u_x; uniform int u_cols;
void main() {
  int base = outIndex() * u_cols;
  int best = 0;
  float bestValue = fetchFlat(u_x, base);
  for (int c = 1; c < u_cols; c++) {
    float v = fetchFlat(u_x, base + c);
    if (v > bestValue || (isnan(bestValue) && !isnan(v))) { best = c; bestValue = v; }
  }
  o_color = vec4(float(best), 0.0, 0.0, 0.0);
}`;

export function addRowVectorPass(e: GlEngine, x: GlTensor, bias: GlTensor, out: GlTensor, cols: number): void {
  e.use('addRowVector', ADD_ROW_VECTOR).tex('u_x', x).tex('u_bias', bias).int('u_cols', cols).drawTo(out);
}

export function sumRowsPass(e: GlEngine, x: GlTensor, out: GlTensor, rows: number, cols: number, accumulate: boolean): void {
  if (accumulate && e.caps.floatBlend && x !== out) {
    e.use('sumRows', SUM_ROWS).tex('u_x', x).int('u_rows', rows).int('u_cols', cols).drawAddingTo(out);
  } else if (accumulate) {
    e.use('sumRows+acc', SUM_ROWS_ACC).tex('u_x', x).tex('u_prev', out).int('u_rows', rows).int('u_cols', cols).drawTo(out);
  } else {
    e.use('sumRows', SUM_ROWS).tex('u_x', x).int('u_rows', rows).int('u_cols', cols).drawTo(out);
  }
}

export function argmaxRowsPass(e: GlEngine, x: GlTensor, out: GlTensor, cols: number): void {
  e.use('argmaxRows', ARGMAX_ROWS).tex('u_x', x).int('u_cols', cols).drawTo(out);
}

export function sumSquaresPass(e: GlEngine, x: GlTensor, out: GlTensor): void {
  reduceSum(e, x.texture!, x.size, out, true, 1);
}
