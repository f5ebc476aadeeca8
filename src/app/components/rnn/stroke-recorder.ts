/**
 * The strokes drawn on the doodle canvas, as Quick Draw recorded them: one [xs, ys] list per pen-down
 * … pen-up, in canvas pixels. Repeated points (a pointer that did not move) are kept out.
 */
import type { Drawing, Stroke } from '../../../data/strokes';

export class StrokeRecorder {
  private finished: Stroke[] = [];
  private current: Stroke | null = null;

  get drawing(): boolean {
    return this.current !== null;
  }

  /** Finished strokes (copies), the one being drawn excluded. */
  get strokes(): Drawing {
    return this.finished.map(([xs, ys]) => [[...xs], [...ys]] as Stroke);
  }

  get hasInk(): boolean {
    return this.finished.length > 0 || this.current !== null;
  }

  begin(x: number, y: number): void {
    this.current = [[x], [y]];
  }

  /** Adds a point to the stroke being drawn; false when there is none or the point repeats the last. */
  add(x: number, y: number): boolean {
    const s = this.current;
    if (!s || !Number.isFinite(x) || !Number.isFinite(y)) return false;
    const last = s[0].length - 1;
    if (s[0][last] === x && s[1][last] === y) return false;
    s[0].push(x);
    s[1].push(y);
    return true;
  }

  /** Ends the stroke being drawn; true when a stroke was finished. */
  end(): boolean {
    if (!this.current) return false;
    this.finished.push(this.current);
    this.current = null;
    return true;
  }

  clear(): void {
    this.finished = [];
    this.current = null;
  }
}
