/**
 * Float textures and their pool. Every texture is immutable-storage (texStorage2D) with
 * NEAREST filtering, owns one framebuffer (re-attaching per draw costs validation on every
 * call), and is recycled by exact (width, height, channels): a training step asks for the same
 * sizes every time, so after the first step the pool hits and nothing is created.
 */

export type Channels = 1 | 4;

export interface GlTexture {
  readonly texture: WebGLTexture;
  readonly framebuffer: WebGLFramebuffer;
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  /**
   * 1 for a plain 2D texture; more for a TEXTURE_2D_ARRAY whose framebuffer has every layer
   * attached as a color target (one pass renders all layers: multiple render targets).
   */
  readonly layers: number;
}

export interface TexturePoolStats {
  /** Textures currently handed out (tensors + temporaries in flight). */
  inUse: number;
  /** Textures waiting in the pool. */
  pooled: number;
  /** Textures ever created: flat after warm-up means no GPU allocation per step. */
  created: number;
}

/**
 * Texture unit used for uploads and texture creation, beyond the units passes sample from:
 * binding on whatever unit is active would silently replace a pass input bound there.
 */
export const UPDATE_UNIT = 15;

const key = (w: number, h: number, c: Channels, layers = 1): number => ((w * 65536 + h) * 8 + layers) * 4 + c;

export class TexturePool {
  private readonly free = new Map<number, GlTexture[]>();
  private inUse = 0;
  private pooled = 0;
  private created = 0;
  private readonly zero = new Float32Array(4);

  constructor(private readonly gl: WebGL2RenderingContext) {}

  /** A texture of this size; contents are undefined unless `zeroed`. */
  acquire(width: number, height: number, channels: Channels, zeroed: boolean): GlTexture {
    const t = this.take(width, height, channels, 1);
    if (zeroed) this.clear(t, this.zero);
    return t;
  }

  /** An RGBA texture array of `layers` (2..8) layers, all attached to its framebuffer; contents undefined. */
  acquireLayered(width: number, height: number, layers: number): GlTexture {
    if (layers < 2 || layers > 8) throw new Error(`webgl2: a layered texture needs 2 to 8 layers, got ${layers}`);
    return this.take(width, height, 4, layers);
  }

  private take(width: number, height: number, channels: Channels, layers: number): GlTexture {
    const list = this.free.get(key(width, height, channels, layers));
    let t: GlTexture;
    if (list && list.length > 0) {
      t = list.pop()!;
      this.pooled--;
    } else {
      t = layers === 1 ? this.create(width, height, channels) : this.createLayered(width, height, layers);
    }
    this.inUse++;
    return t;
  }

  release(t: GlTexture): void {
    const k = key(t.width, t.height, t.channels, t.layers);
    let list = this.free.get(k);
    if (!list) {
      list = [];
      this.free.set(k, list);
    }
    list.push(t);
    this.inUse--;
    this.pooled++;
  }

  /** Sets every texel to `rgba` (exact for float targets). */
  clear(t: GlTexture, rgba: Float32Array): void {
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, t.framebuffer);
    gl.clearBufferfv(gl.COLOR, 0, rgba);
  }

  /** Binds `t` on the update unit for texSubImage2D / texStorage2D. */
  bindForUpdate(texture: WebGLTexture): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE0 + UPDATE_UNIT);
    gl.bindTexture(gl.TEXTURE_2D, texture);
  }

  stats(): TexturePoolStats {
    return { inUse: this.inUse, pooled: this.pooled, created: this.created };
  }

  /** Frees every pooled texture (the GPU memory of idle sizes). */
  trim(): void {
    for (const list of this.free.values()) for (const t of list) this.destroy(t);
    this.free.clear();
    this.pooled = 0;
  }

  private create(width: number, height: number, channels: Channels): GlTexture {
    const gl = this.gl;
    const texture = gl.createTexture();
    const framebuffer = gl.createFramebuffer();
    if (!texture || !framebuffer) throw new Error('webgl2: could not create a texture (GPU out of memory or context lost)');
    this.bindForUpdate(texture);
    gl.texStorage2D(gl.TEXTURE_2D, 1, channels === 1 ? gl.R32F : gl.RGBA32F, width, height);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    this.created++;
    return { texture, framebuffer, width, height, channels, layers: 1 };
  }

  private createLayered(width: number, height: number, layers: number): GlTexture {
    const gl = this.gl;
    const texture = gl.createTexture();
    const framebuffer = gl.createFramebuffer();
    if (!texture || !framebuffer) throw new Error('webgl2: could not create a texture (GPU out of memory or context lost)');
    gl.activeTexture(gl.TEXTURE0 + UPDATE_UNIT);
    gl.bindTexture(gl.TEXTURE_2D_ARRAY, texture);
    gl.texStorage3D(gl.TEXTURE_2D_ARRAY, 1, gl.RGBA32F, width, height, layers);
    gl.texParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    const buffers: number[] = [];
    for (let i = 0; i < layers; i++) {
      gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0 + i, texture, 0, i);
      buffers.push(gl.COLOR_ATTACHMENT0 + i);
    }
    gl.drawBuffers(buffers);
    this.created++;
    return { texture, framebuffer, width, height, channels: 4, layers };
  }

  private destroy(t: GlTexture): void {
    this.gl.deleteFramebuffer(t.framebuffer);
    this.gl.deleteTexture(t.texture);
  }
}
