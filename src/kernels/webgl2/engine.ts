import type { GlCapabilities } from './context';
import { MAX_ROW_WIDTH, type GlTensor } from './tensor';
import { TexturePool, type GlTexture } from './textures';

/**
 * Shared head of every fragment shader. A pass draws one fullscreen triangle over its target;
 * each fragment computes one texel. Helpers:
 *   outIndex()          flat index of this fragment in a flat-layout target (see tensor.ts)
 *   fetchFlat(s, i)     element i of a flat-layout tensor
 *   fetchSame(s)        the texel at this fragment's position (inputs of the same size)
 */
export const PRELUDE = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
uniform int u_outW;
out vec4 o_color;
int outIndex() { return int(gl_FragCoord.y) * u_outW + int(gl_FragCoord.x); }
// Every flat texture is MAX_ROW_WIDTH (4096) wide or a single row shorter than that, so
// (i mod 4096, i / 4096) addresses both with a mask and a shift, no division.
ivec2 flatCoord(sampler2D s, int i) { return ivec2(i & 4095, i >> 12); }
float fetchFlat(sampler2D s, int i) { return texelFetch(s, flatCoord(s, i), 0).r; }
float fetchSame(sampler2D s) { return texelFetch(s, ivec2(gl_FragCoord.xy), 0).r; }
`;

const VERTEX_SHADER = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
`;

/** WebGL2 guarantees 16 fragment texture units; textures.ts keeps the last for uploads. */
const MAX_UNITS = 12;
const MAX_TARGETS = 4;
if (MAX_ROW_WIDTH !== 4096) throw new Error('webgl2: PRELUDE.flatCoord assumes 4096-wide rows');

class Program {
  private readonly locations = new Map<string, WebGLUniformLocation | null>();
  constructor(private readonly gl: WebGL2RenderingContext, readonly handle: WebGLProgram) {}

  location(name: string): WebGLUniformLocation | null {
    let loc = this.locations.get(name);
    if (loc === undefined) {
      loc = this.gl.getUniformLocation(this.handle, name);
      this.locations.set(name, loc);
    }
    return loc;
  }
}

/**
 * Program cache and the draw helper. Usage per pass (no allocation once warm):
 *   engine.use(KEY, SOURCE).tex('u_x', x).float('u_alpha', a).drawTo(out);
 * `drawTo` handles an output that is also an input (in-place ops, accumulation): a texture
 * cannot be sampled while rendered to, so the pass renders into a fresh pooled texture and the
 * output handle takes it over (ping-pong), returning the old one to the pool.
 */
export class GlEngine {
  readonly pool: TexturePool;
  private readonly programs = new Map<string, Program>();
  private readonly vertexShader: WebGLShader;
  private readonly vao: WebGLVertexArrayObject | null;
  private current: Program | null = null;
  private readonly bound: (GlTexture | null)[] = new Array<GlTexture | null>(MAX_UNITS).fill(null);
  private units = 0;
  private draws = 0;
  private multiTarget: WebGLFramebuffer | null = null;

  constructor(readonly gl: WebGL2RenderingContext, readonly caps: GlCapabilities) {
    this.pool = new TexturePool(gl);
    this.vertexShader = compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER);
    this.vao = gl.createVertexArray();
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.BLEND);
    gl.disable(gl.DITHER);
  }

  /** Selects (compiling on first use) the program `key`; `source` is read only on a miss. */
  use(key: string, source: string): this {
    let p = this.programs.get(key);
    if (!p) {
      p = this.link(key, source);
      this.programs.set(key, p);
    }
    this.gl.useProgram(p.handle);
    this.current = p;
    this.units = 0;
    return this;
  }

  tex(name: string, t: GlTensor | GlTexture): this {
    const texture = 'framebuffer' in t ? t : t.texture;
    if (!texture) throw new Error(`webgl2: ${name} has no texture (empty or disposed tensor)`);
    const gl = this.gl;
    const unit = this.units++;
    if (unit >= MAX_UNITS) throw new Error('webgl2: too many input textures in one pass');
    gl.activeTexture(gl.TEXTURE0 + unit);
    gl.bindTexture(texture.layers === 1 ? gl.TEXTURE_2D : gl.TEXTURE_2D_ARRAY, texture.texture);
    gl.uniform1i(this.program().location(name), unit);
    this.bound[unit] = texture;
    return this;
  }

  int(name: string, v: number): this {
    this.gl.uniform1i(this.program().location(name), v);
    return this;
  }

  uint(name: string, v: number): this {
    this.gl.uniform1ui(this.program().location(name), v >>> 0);
    return this;
  }

  float(name: string, v: number): this {
    this.gl.uniform1f(this.program().location(name), v);
    return this;
  }

  /** Runs the pass over `out`'s texture (ping-pong when `out` is also an input). */
  drawTo(out: GlTensor): void {
    const target = out.texture;
    if (!target) throw new Error('webgl2: output tensor has no texture (empty or disposed)');
    let aliased = false;
    for (let i = 0; i < this.units; i++) if (this.bound[i] === target) aliased = true;
    out.hostValid = false;
    if (!aliased) {
      this.drawToTexture(target);
      return;
    }
    const fresh = this.pool.acquire(target.width, target.height, target.channels, false);
    this.drawToTexture(fresh);
    this.pool.release(target);
    out.texture = fresh;
  }

  drawToTexture(target: GlTexture): void {
    const gl = this.gl;
    gl.uniform1i(this.program().location('u_outW'), target.width);
    gl.bindFramebuffer(gl.FRAMEBUFFER, target.framebuffer);
    gl.viewport(0, 0, target.width, target.height);
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    this.draws++;
    for (let i = 0; i < this.units; i++) this.bound[i] = null;
    this.units = 0;
  }

  /**
   * Runs the pass adding its result onto `out`'s texture (additive blending, no ping-pong); only
   * when caps.floatBlend. `out` must not be an input of the pass.
   */
  drawAddingTo(out: GlTensor): void {
    const target = out.texture;
    if (!target) throw new Error('webgl2: output tensor has no texture (empty or disposed)');
    for (let i = 0; i < this.units; i++) {
      if (this.bound[i] === target) throw new Error('webgl2: an adding pass cannot read its own output');
    }
    out.hostValid = false;
    const gl = this.gl;
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE);
    this.drawToTexture(target);
    gl.disable(gl.BLEND);
  }

  /**
   * Runs the pass over flat elements [start, end) of `out` only, keeping the rest: the scissor
   * limits rasterization to the texture rows of the range and the shader must `discard`
   * fragments outside it (sequence ops write one time step of a [T,…] tensor per pass). `out`
   * must not be an input of the pass (a ping-pong would lose the untouched elements).
   * `adding`: blend the result onto the range instead (only when caps.floatBlend).
   */
  drawToRange(out: GlTensor, start: number, end: number, adding = false): void {
    const target = out.texture;
    if (!target) throw new Error('webgl2: output tensor has no texture (empty or disposed)');
    for (let i = 0; i < this.units; i++) {
      if (this.bound[i] === target) throw new Error('webgl2: a range pass cannot read its own output');
    }
    out.hostValid = false;
    const gl = this.gl;
    const first = Math.floor(start / target.width), last = Math.floor((end - 1) / target.width);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(0, first, target.width, last - first + 1);
    if (adding) {
      gl.enable(gl.BLEND);
      gl.blendFunc(gl.ONE, gl.ONE);
    }
    this.drawToTexture(target);
    if (adding) gl.disable(gl.BLEND);
    gl.disable(gl.SCISSOR_TEST);
  }

  /**
   * Runs the pass into `count` same-sized textures at once (multiple render targets; the
   * shader declares `layout(location = i) out vec4` outputs). None may be a pass input.
   */
  drawToMany(targets: readonly GlTexture[], count: number): void {
    const gl = this.gl;
    if (!this.multiTarget) {
      this.multiTarget = gl.createFramebuffer();
      gl.bindFramebuffer(gl.FRAMEBUFFER, this.multiTarget);
      gl.drawBuffers([gl.COLOR_ATTACHMENT0, gl.COLOR_ATTACHMENT1, gl.COLOR_ATTACHMENT2, gl.COLOR_ATTACHMENT3].slice(0, MAX_TARGETS));
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.multiTarget);
    for (let i = 0; i < MAX_TARGETS; i++) {
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0 + i, gl.TEXTURE_2D, i < count ? targets[i].texture : null, 0);
    }
    gl.viewport(0, 0, targets[0].width, targets[0].height);
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    this.draws++;
    for (let i = 0; i < this.units; i++) this.bound[i] = null;
    this.units = 0;
  }

  /**
   * Runs the pass into every layer of a layered texture at once (its framebuffer has them all
   * attached; the shader declares one `layout(location = i) out vec4` per layer).
   */
  drawToLayers(target: GlTexture): void {
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, target.framebuffer);
    gl.viewport(0, 0, target.width, target.height);
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    this.draws++;
    for (let i = 0; i < this.units; i++) this.bound[i] = null;
    this.units = 0;
  }

  /** Passes drawn so far (for tests and profiling). */
  drawCount(): number {
    return this.draws;
  }

  programCount(): number {
    return this.programs.size;
  }

  dispose(): void {
    this.pool.trim();
    for (const p of this.programs.values()) this.gl.deleteProgram(p.handle);
    this.programs.clear();
    this.gl.deleteShader(this.vertexShader);
    this.gl.deleteVertexArray(this.vao);
    this.gl.deleteFramebuffer(this.multiTarget);
  }

  private program(): Program {
    if (!this.current) throw new Error('webgl2: no program selected (call use() first)');
    return this.current;
  }

  private link(key: string, source: string): Program {
    const gl = this.gl;
    const fragment = compile(gl, gl.FRAGMENT_SHADER, source, key);
    const handle = gl.createProgram();
    if (!handle) throw new Error('webgl2: could not create a shader program (context lost?)');
    gl.attachShader(handle, this.vertexShader);
    gl.attachShader(handle, fragment);
    gl.linkProgram(handle);
    gl.deleteShader(fragment);
    if (!gl.getProgramParameter(handle, gl.LINK_STATUS)) {
      const log = gl.getProgramInfoLog(handle);
      gl.deleteProgram(handle);
      throw new Error(`webgl2: shader program '${key}' failed to link: ${log}`);
    }
    return new Program(gl, handle);
  }
}

function compile(gl: WebGL2RenderingContext, type: number, source: string, key = 'vertex'): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('webgl2: could not create a shader (context lost?)');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    const log = gl.getShaderInfoLog(shader);
    gl.deleteShader(shader);
    throw new Error(`webgl2: shader '${key}' failed to compile: ${log}`);
  }
  return shader;
}
