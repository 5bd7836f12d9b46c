// Bundles every entry point: the extension client, the language server, its compute and parse workers, the CLI and the webviews.
// Type checking is separate (`tsc -b`); esbuild only strips types.
import * as esbuild from 'esbuild';
import { copyFile, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeEntries = [
  { in: 'client/src/extension.ts', out: 'client' },
  { in: 'server/src/lsp/main.ts', out: 'server' },
  { in: 'server/src/compute/worker.ts', out: 'worker' },
  { in: 'server/src/lsp/analysisWorker.ts', out: 'analysisWorker' },
  { in: 'server/src/cli/optlens.ts', out: 'optlens' },
].filter((entry) => existsSync(entry.in));

const webviewEntries = [
  { in: 'webview/src/schedule/main.ts', out: 'schedule' },
  { in: 'webview/src/rangeTest/main.ts', out: 'rangeTest' },
  { in: 'webview/src/landscape/main.ts', out: 'landscape' },
].filter((entry) => existsSync(entry.in));

const builds = [
  {
    ...common,
    entryPoints: nodeEntries,
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's UMD build uses a dynamic require that bundlers cannot follow; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    // `vscode` is provided by the extension host; the TensorFlow.js native bindings, WebGPU and ONNX Runtime
    // are optional and loaded at run time with a try/catch, so they must not be bundled.
    external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'onnxruntime-node'],
    banner: { js: '' },
  },
  {
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

async function copyAssets() {
  // The WASM backend loads its binaries at run time from dist/wasm/ (setWasmPaths), so they ship beside the worker.
  const wasmSource = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  if (existsSync(wasmSource)) {
    await mkdir('dist/wasm', { recursive: true });
    for (const name of await readdir(wasmSource)) {
      if (name.endsWith('.wasm')) await copyFile(`${wasmSource}/${name}`, `dist/wasm/${name}`);
    }
  }
  await copyOnnxRuntime();
  // The Python runner of the range test on the user's own PyTorch model runs from dist/python/ (pythonRunner.ts).
  await mkdir('dist/python', { recursive: true });
  await copyFile('server/src/compute/python/optlens_range_test.py', 'dist/python/optlens_range_test.py');
  await mkdir('dist/webview', { recursive: true });
  if (existsSync('node_modules/uplot/dist/uPlot.min.css')) {
    await copyFile('node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.min.css');
  }
}

/**
 * ONNX Runtime (the range test's native CPU engine) is an optional dependency with a native library, so it is
 * not bundled: its JavaScript, onnxruntime-common and the binary for the platform this runs on are copied to
 * dist/node_modules/, where the worker's `require('onnxruntime-node')` finds them in the installed extension.
 * Where it is not installed, nothing is copied and the backend reports "not installed".
 */
async function copyOnnxRuntime() {
  const source = 'node_modules/onnxruntime-node';
  const target = 'dist/node_modules';
  await rm(target, { recursive: true, force: true });
  const binary = `bin/napi-v6/${process.platform}/${process.arch}`;
  if (!existsSync(`${source}/${binary}`) || !existsSync('node_modules/onnxruntime-common/dist/cjs')) return;
  for (const [from, to] of [
    [`${source}/package.json`, `${target}/onnxruntime-node/package.json`],
    [`${source}/dist`, `${target}/onnxruntime-node/dist`],
    [`${source}/${binary}`, `${target}/onnxruntime-node/${binary}`],
    ['node_modules/onnxruntime-common/package.json', `${target}/onnxruntime-common/package.json`],
    ['node_modules/onnxruntime-common/dist/cjs', `${target}/onnxruntime-common/dist/cjs`],
    ['node_modules/onnxruntime-node/LICENSE', `${target}/onnxruntime-node/LICENSE`],
  ]) {
    if (existsSync(from))
      await cp(from, to, { recursive: true, filter: (file) => !file.endsWith('.map') && !file.endsWith('.d.ts') });
  }
}

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await copyAssets();
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(
    builds.filter((options) => options.entryPoints.length > 0).map((options) => esbuild.build(options)),
  );
  await copyAssets();
}
