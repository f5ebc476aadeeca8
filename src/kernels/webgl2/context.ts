/**
 * WebGL2 context creation and the capability checks the backend depends on. Failures throw
 * `WebGl2UnavailableError` with a message a user can read, so callers fall back to the CPU.
 */

export type GlCanvas = OffscreenCanvas | HTMLCanvasElement;

/** Thrown when this browser/GPU cannot run the WebGL2 backend; `message` says why. */
export class WebGl2UnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGl2UnavailableError';
  }
}

export interface GlCapabilities {
  maxTextureSize: number;
  /** RED/FLOAT read-back is optional in WebGL2; without it we read RGBA (4× the bytes). */
  readRed: boolean;
  /**
   * Additive blending into float targets (EXT_float_blend): accumulating passes then add onto
   * their output in place instead of reading it and rendering a fresh texture.
   */
  floatBlend: boolean;
  /** Render targets one pass can write (matmul's block height follows it; WebGL2 guarantees 4). */
  maxDrawBuffers: number;
}

const CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false,
  preserveDrawingBuffer: false, powerPreference: 'high-performance',
};

/** A WebGL2 context on `canvas`, or on a fresh 1×1 OffscreenCanvas (works inside a worker). */
export function createGlContext(canvas?: GlCanvas): WebGL2RenderingContext {
  const target = canvas ?? newOffscreenCanvas();
  let gl: WebGL2RenderingContext | null = null;
  try {
    gl = target.getContext('webgl2', CONTEXT_ATTRIBUTES) as WebGL2RenderingContext | null;
  } catch {
    gl = null;
  }
  if (!gl) throw new WebGl2UnavailableError('WebGL2 is not available in this browser (or it is disabled)');
  if (!gl.getExtension('EXT_color_buffer_float')) {
    throw new WebGl2UnavailableError('float render targets (EXT_color_buffer_float) are not available on this GPU/browser');
  }
  return gl;
}

function newOffscreenCanvas(): OffscreenCanvas {
  if (typeof OffscreenCanvas === 'undefined') {
    throw new WebGl2UnavailableError('WebGL2 is not available: this environment has no OffscreenCanvas (pass a canvas instead)');
  }
  return new OffscreenCanvas(1, 1);
}

/**
 * Verifies that an R32F texture really is renderable (some drivers expose the extension but
 * report the framebuffer incomplete) and finds out whether RED/FLOAT can be read back.
 */
export function probeCapabilities(gl: WebGL2RenderingContext): GlCapabilities {
  const tex = gl.createTexture();
  const fbo = gl.createFramebuffer();
  try {
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.R32F, 1, 1);
    gl.bindFramebuffer(gl.FRAMEBUFFER, fbo);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) {
      throw new WebGl2UnavailableError('float render targets (EXT_color_buffer_float) are not available: R32F framebuffer incomplete');
    }
    const format = gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_FORMAT) as number;
    const type = gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_TYPE) as number;
    return {
      maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
      readRed: format === gl.RED && type === gl.FLOAT,
      floatBlend: gl.getExtension('EXT_float_blend') !== null,
      maxDrawBuffers: Math.min(gl.getParameter(gl.MAX_DRAW_BUFFERS) as number, gl.getParameter(gl.MAX_COLOR_ATTACHMENTS) as number),
    };
  } finally {
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.deleteFramebuffer(fbo);
    gl.deleteTexture(tex);
  }
}
