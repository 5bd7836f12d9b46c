// Loads a compute backend: TensorFlow.js on CUDA (tfjs-node-gpu), native CPU (tfjs-node) or WebGPU (Dawn), then
// ONNX Runtime's native CPU engine (onnxruntime-node), then TensorFlow.js on WASM, then plain JS.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TensorFlow from '@tensorflow/tfjs-core';
import { GraphBuilder } from './onnx/onnxModel';
import { onnxSessionOptions } from './onnx/onnxTrainer';
import type { OnnxRuntimeModule } from './onnx/onnxTrainer';

export type TensorFlowModule = typeof TensorFlow;

/** Our names for the six backends, in the order they are tried (fastest first, as far as we know). */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'onnxruntime', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** The backend `name` names, or undefined: for user input (settings, command-line flags). */
export function backendNamed(name: unknown): BackendName | undefined {
  return BACKEND_ORDER.find((backend) => backend === name);
}

export interface BackendStatus {
  readonly name: BackendName;
  readonly loaded: boolean;
  /** One line saying why the backend did not load; absent when it did. */
  readonly reason?: string;
}

export interface BackendOptions {
  /** Try this backend only (then fall back down the list when it fails, so a job still runs). */
  readonly preferred?: BackendName;
  /** Directory with the tfjs-backend-wasm `.wasm` files; by default `wasm/` next to the bundle, else the package's `dist/`. */
  readonly wasmPaths?: string;
}

/** A backend ready to run a job: a TensorFlow.js one (with `tf` on it) or ONNX Runtime. */
export type ReadyBackend =
  | { readonly kind: 'tfjs'; readonly tf: TensorFlowModule; readonly name: Exclude<BackendName, 'onnxruntime'> }
  | { readonly kind: 'onnxruntime'; readonly ort: OnnxRuntimeModule; readonly name: 'onnxruntime' };

export type LoadedBackend = ReadyBackend & {
  /** Every backend tried before (and including) the one that loaded. */
  readonly attempts: readonly BackendStatus[];
};

/** Says why a job cannot run on a backend that loads (e.g. a task ONNX Runtime has no graph for), or nothing. */
export type BackendFilter = (name: BackendName) => string | undefined;

/**
 * The packages that are loaded at run time rather than bundled (esbuild.mjs marks them external): a backend whose
 * package does not resolve from the worker is not part of this build. The `.vsix` carries onnxruntime-node only;
 * a source checkout has whichever optional dependencies installed. The WASM and CPU backends are bundled.
 */
const RUNTIME_PACKAGES: Partial<Record<BackendName, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  webgpu: 'webgpu',
  onnxruntime: 'onnxruntime-node',
};

/** The reason given, once, in the backends list for a backend whose package is not in this build. */
export function notShipped(packageName: string): string {
  return `not shipped in this build (optional package ${packageName} is not installed)`;
}

/** The runtime package a backend needs when it cannot be resolved from here, else undefined. */
function missingPackage(name: BackendName): string | undefined {
  const packageName = RUNTIME_PACKAGES[name];
  if (packageName === undefined) return undefined;
  try {
    require.resolve(packageName);
    return undefined;
  } catch {
    return packageName;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

/** Turns a native-binding failure into one line a user can act on. */
export function explainNativeFailure(error: unknown, packageName: string): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'MODULE_NOT_FOUND' && message.includes(`'${packageName}'`)) return notShipped(packageName);
  const cuda = /(libcu\w*\.so[.\d]*)/.exec(message);
  if (cuda) return `CUDA library ${cuda[1]} not found (tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1)`;
  if (/libtensorflow/.test(message)) return `libtensorflow could not be loaded: ${firstLine(error)}`;
  return firstLine(error);
}

/** One line for a failure to load onnxruntime-node: absent, or a native library that does not load. */
export function explainOnnxRuntimeFailure(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' && firstLine(error).includes("'onnxruntime-node'"))
    return notShipped('onnxruntime-node');
  return `onnxruntime-node could not be loaded: ${firstLine(error)}`;
}

/**
 * Loads onnxruntime-node and, with `selfTest`, proves it works by running a one-node graph (a job skips that:
 * its own session is the test). Resolves with the module, or one line saying why it cannot be used.
 */
async function loadOnnxRuntime(selfTest: boolean): Promise<OnnxRuntimeModule | string> {
  let ort: OnnxRuntimeModule;
  try {
    ort = require('onnxruntime-node') as OnnxRuntimeModule;
  } catch (error) {
    return explainOnnxRuntimeFailure(error);
  }
  if (!selfTest) return ort;
  try {
    const g = new GraphBuilder('probe');
    g.output(g.one('Add', [g.input('a', [2]), g.input('b', [2])]), 'sum', [2]);
    const session = await ort.InferenceSession.create(g.encode(), onnxSessionOptions());
    const out = await session.run({
      a: new ort.Tensor('float32', Float32Array.of(1, 2), [2]),
      b: new ort.Tensor('float32', Float32Array.of(3, 4), [2]),
    });
    await session.release();
    const sum = Array.from(out.sum!.data);
    if (sum[0] !== 4 || sum[1] !== 6) return `onnxruntime-node gave a wrong answer on a self-test (${sum.join(', ')})`;
  } catch (error) {
    return `onnxruntime-node failed its self-test: ${firstLine(error)}`;
  }
  return ort;
}

function requireTensorFlow(): TensorFlowModule {
  // tfjs-layers registers every gradient of tfjs-core on load (the core's CommonJS bundle does not), so it must
  // be loaded before any training step.
  require('@tensorflow/tfjs-layers');
  return require('@tensorflow/tfjs-core') as TensorFlowModule;
}

async function activate(tf: TensorFlowModule, backendName: string): Promise<void> {
  const ok = await tf.setBackend(backendName);
  if (!ok) throw new Error(`TensorFlow.js could not initialise the ${backendName} backend`);
  await tf.ready();
}

/** The `navigator.gpu` of the `webgpu` package, or a reason when there is no adapter. */
async function webGpuNavigator(): Promise<{ gpu: unknown } | string> {
  let dawn: { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
  try {
    dawn = require('webgpu');
  } catch (error) {
    return `the webgpu package could not be loaded: ${firstLine(error)}`;
  }
  const gpu = dawn.create([]) as { requestAdapter(): Promise<unknown> };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return 'no GPU adapter (Vulkan/Metal/D3D12)';
  // tfjs-backend-webgpu reads the WebGPU constants (GPUBufferUsage, ...) and navigator.gpu from the global scope.
  Object.assign(globalThis, dawn.globals);
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  if (!scope.navigator)
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (!scope.navigator.gpu) Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  return { gpu };
}

/**
 * Where the `.wasm` files are: `wasm/` next to this file when bundled (esbuild copies them to dist/wasm/),
 * else the package's own `dist/` in node_modules (tests and development).
 */
function defaultWasmDirectory(): string | undefined {
  const candidates = [path.join(__dirname, 'wasm')];
  try {
    candidates.push(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
  } catch {
    // Not resolvable from a bundle shipped without node_modules; the bundled copy is the only candidate then.
  }
  return candidates.find((directory) => fs.existsSync(path.join(directory, 'tfjs-backend-wasm-simd.wasm')));
}

type Attempt = { readonly reason: string } | { readonly ready: ReadyBackend };

/** Tries one backend; resolves with it ready to use (a TensorFlow.js one is now active), or the reason it is not. */
async function tryBackend(name: BackendName, options: BackendOptions, selfTest: boolean): Promise<Attempt> {
  const missing = missingPackage(name);
  if (missing !== undefined) return { reason: notShipped(missing) };
  if (name === 'onnxruntime') {
    const ort = await loadOnnxRuntime(selfTest);
    return typeof ort === 'string' ? { reason: ort } : { ready: { kind: 'onnxruntime', ort, name } };
  }
  const tf = requireTensorFlow();
  // Production mode skips per-op debug checks, and silences the banner the cpu backend prints on first use.
  tf.env().set('PROD', true);
  const reason = await tryTensorFlowBackend(tf, name, options);
  return reason === null ? { ready: { kind: 'tfjs', tf, name } } : { reason };
}

/** Tries one TensorFlow.js backend; resolves with null when it is now active, or the reason it is not. */
async function tryTensorFlowBackend(
  tf: TensorFlowModule,
  name: Exclude<BackendName, 'onnxruntime'>,
  options: BackendOptions,
): Promise<string | null> {
  try {
    switch (name) {
      case 'tfjs-node-gpu':
      case 'tfjs-node': {
        // Both packages register a backend called `tensorflow`; they are optionalDependencies and usually absent.
        try {
          require(name === 'tfjs-node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
        } catch (error) {
          return explainNativeFailure(error, `@tensorflow/${name}`);
        }
        await activate(tf, 'tensorflow');
        return null;
      }
      case 'webgpu': {
        const found = await webGpuNavigator();
        if (typeof found === 'string') return found;
        require('@tensorflow/tfjs-backend-webgpu');
        await activate(tf, 'webgpu');
        return null;
      }
      case 'wasm': {
        const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
        const directory = options.wasmPaths ?? defaultWasmDirectory();
        if (!directory)
          return 'the tfjs-backend-wasm .wasm files were not found (expected next to the bundle in wasm/)';
        wasm.setWasmPaths(directory.endsWith(path.sep) || directory.endsWith('/') ? directory : directory + path.sep);
        await activate(tf, 'wasm');
        return null;
      }
      case 'cpu':
        require('@tensorflow/tfjs-backend-cpu');
        await activate(tf, 'cpu');
        return null;
    }
  } catch (error) {
    return firstLine(error);
  }
}

/**
 * Activates the first backend that loads and can run the job (`filter`), starting at `preferred` when one is
 * given. The result names the backend that will run the job and why the ones before it were passed over. A
 * backend that is not shipped in this build is passed over silently (the backends list says so, once), unless
 * it is the preferred one: the user asked for it and must learn why it did not run.
 */
export async function loadBackend(
  options: BackendOptions = {},
  filter: BackendFilter = () => undefined,
): Promise<LoadedBackend> {
  const start = options.preferred ? BACKEND_ORDER.indexOf(options.preferred) : 0;
  const order = [...BACKEND_ORDER.slice(Math.max(0, start)), ...BACKEND_ORDER.slice(0, Math.max(0, start))];
  const attempts: BackendStatus[] = [];
  for (const name of order) {
    const missing = missingPackage(name);
    if (missing !== undefined) {
      if (name === options.preferred) attempts.push({ name, loaded: false, reason: notShipped(missing) });
      continue;
    }
    const unsuitable = filter(name);
    if (unsuitable) {
      attempts.push({ name, loaded: false, reason: unsuitable });
      continue;
    }
    const attempt = await tryBackend(name, options, false);
    if ('ready' in attempt) {
      attempts.push({ name, loaded: true });
      return { ...attempt.ready, attempts };
    }
    attempts.push({ name, loaded: false, reason: attempt.reason });
  }
  throw new Error(`No compute backend could be loaded: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
}

/** Tries every backend in order and reports each, leaving the last TensorFlow.js one that loaded active. */
export async function listBackends(options: BackendOptions = {}): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of BACKEND_ORDER) {
    const attempt = await tryBackend(name, options, true);
    out.push('ready' in attempt ? { name, loaded: true } : { name, loaded: false, reason: attempt.reason });
  }
  return out;
}
