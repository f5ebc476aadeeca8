import type { GlTexture } from './textures';

/**
 * Asynchronous read-back: readPixels into a PIXEL_PACK_BUFFER (queued, returns at once), a
 * fence, polling the fence from the event loop, then getBufferSubData, which no longer stalls
 * because the copy has finished. The GPU keeps working on later passes meanwhile, and a
 * training step only pays this for the loss and metrics it reads.
 */
export class ReadBack {
  /** Pixel-pack buffers by byte size, reused across reads of the same tensor size. */
  private readonly free = new Map<number, WebGLBuffer[]>();
  private pending = 0;

  constructor(private readonly gl: WebGL2RenderingContext, private readonly readRed: boolean) {}

  async read(texture: GlTexture, size: number): Promise<Float32Array> {
    const gl = this.gl;
    const perTexel = this.readRed ? 1 : 4;
    const bytes = texture.width * texture.height * perTexel * 4;
    const buffer = this.acquire(bytes);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, texture.framebuffer);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
    gl.readPixels(0, 0, texture.width, texture.height, this.readRed ? gl.RED : gl.RGBA, gl.FLOAT, 0);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
    const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!sync) throw new Error('webgl2: could not create a fence for read-back (context lost?)');
    gl.flush();
    this.pending++;
    try {
      await waitFor(gl, sync);
      return this.copyOut(buffer, size, perTexel);
    } finally {
      gl.deleteSync(sync);
      this.pending--;
      this.release(buffer, bytes);
    }
  }

  /** Reads in flight (a worker may want to bound them). */
  inFlight(): number {
    return this.pending;
  }

  dispose(): void {
    for (const list of this.free.values()) for (const b of list) this.gl.deleteBuffer(b);
    this.free.clear();
  }

  private copyOut(buffer: WebGLBuffer, size: number, perTexel: number): Float32Array {
    const gl = this.gl;
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
    const out = new Float32Array(size * perTexel);
    gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, 0, out, 0, size * perTexel);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    if (perTexel === 1) return out;
    const red = new Float32Array(size);
    for (let i = 0; i < size; i++) red[i] = out[i * 4];
    return red;
  }

  private acquire(bytes: number): WebGLBuffer {
    const list = this.free.get(bytes);
    if (list && list.length > 0) return list.pop()!;
    const gl = this.gl;
    const buffer = gl.createBuffer();
    if (!buffer) throw new Error('webgl2: could not create a read-back buffer (context lost?)');
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
    gl.bufferData(gl.PIXEL_PACK_BUFFER, bytes, gl.STREAM_READ);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    return buffer;
  }

  private release(buffer: WebGLBuffer, bytes: number): void {
    let list = this.free.get(bytes);
    if (!list) {
      list = [];
      this.free.set(bytes, list);
    }
    list.push(buffer);
  }
}

/** Polls the fence without blocking: 0 timeout, then yield to the event loop. */
async function waitFor(gl: WebGL2RenderingContext, sync: WebGLSync): Promise<void> {
  for (;;) {
    const status = gl.clientWaitSync(sync, 0, 0);
    if (status === gl.ALREADY_SIGNALED || status === gl.CONDITION_SATISFIED) return;
    if (status === gl.WAIT_FAILED) throw new Error('webgl2: waiting for a read-back failed (context lost?)');
    await pause();
  }
}

const POLL_MS = 1;
let hop: MessageChannel | null = null;
let waiting: (() => void)[] = [];

/**
 * About POLL_MS without busy-waiting. A setTimeout chained from timer callbacks is clamped to
 * 4 ms after a few rounds (HTML timer nesting), which a training step that awaits its loss pays
 * on every read; a timer set from a message task starts a fresh chain, so each poll hops through
 * a MessageChannel first.
 */
function pause(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, POLL_MS));
  if (!hop) {
    hop = new MessageChannel();
    hop.port1.onmessage = () => {
      const ready = waiting;
      waiting = [];
      for (const resolve of ready) setTimeout(resolve, POLL_MS);
    };
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    hop!.port2.postMessage(0);
  });
}
