export * from './backend';
export { CpuBackend, type CpuBackendOptions } from './cpu';
export { WebGl2Backend, WebGl2UnavailableError, type WebGl2BackendOptions } from './webgl2';
export { WasmBackend, WasmUnavailableError, hasWasmSimd, type WasmBackendOptions } from './wasm';
