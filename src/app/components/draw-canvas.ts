/**
 * The drawing surface: pointer strokes (mouse, pen, touch) in white ink on black, drawn with a
 * pen about 1/11 of the side — roughly MNIST's stroke once the digit is scaled into 20×20.
 */
export const DRAW_SIDE = 280;
/** Said to screen readers on every drawing canvas: there is no keyboard way to draw, and where to go instead. */
export const NO_KEYBOARD_DRAWING = 'Drawing needs a pointer; without one, the test-set report below shows what the network reads';
const PEN_WIDTH = Math.round(DRAW_SIDE / 11);

export class InkSurface {
  private last: { x: number; y: number } | null = null;
  private ink = false;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('This browser cannot draw on a canvas');
    this.ctx = ctx;
    this.clear();
  }

  get hasInk(): boolean {
    return this.ink;
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ink = false;
    this.last = null;
  }

  begin(e: PointerEvent): void {
    this.last = this.toCanvas(e);
    this.segment(this.last, this.last);
  }

  move(e: PointerEvent): void {
    if (!this.last) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) {
      const p = this.toCanvas(ev);
      this.segment(this.last, p);
      this.last = p;
    }
  }

  end(): void {
    this.last = null;
  }

  get drawing(): boolean {
    return this.last !== null;
  }

  /** Ink intensity per pixel (0 = background, 255 = ink): the red channel of white-on-black. */
  readInk(): Uint8ClampedArray {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const ink = new Uint8ClampedArray(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4];
    return ink;
  }

  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    this.ink = true;
  }

  private toCanvas(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) / r.width) * this.canvas.width,
      y: ((e.clientY - r.top) / r.height) * this.canvas.height,
    };
  }
}
