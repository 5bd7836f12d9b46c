// Which TensorFlow.js backends load on this machine, and how native failures read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BACKEND_ORDER,
  explainNativeFailure,
  listBackends,
  loadBackend,
  notShipped,
} from '../../server/src/compute/backends';

/** Whether an optional package is installed here (the tests run from source, with node_modules). */
function installed(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

test('listBackends reports all six in order: tfjs-node(-gpu) not shipped in this build; onnxruntime, wasm and cpu loaded', async () => {
  const statuses = await listBackends();
  assert.deepEqual(
    statuses.map((status) => status.name),
    [...BACKEND_ORDER],
  );
  const byName = new Map(statuses.map((status) => [status.name, status]));
  for (const name of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    assert.equal(byName.get(name)!.loaded, false);
    assert.equal(
      byName.get(name)!.reason,
      `not shipped in this build (optional package @tensorflow/${name} is not installed)`,
    );
  }
  // onnxruntime-node is an optional dependency that installs from the npm registry alone (binaries inside).
  assert.deepEqual(byName.get('onnxruntime'), { name: 'onnxruntime', loaded: true });
  assert.equal(byName.get('wasm')!.loaded, true);
  assert.equal(byName.get('cpu')!.loaded, true);
  const webgpu = byName.get('webgpu')!;
  // This machine has no GPU; where one exists the backend may load, and then there is no reason. Without the
  // optional webgpu package (as in the .vsix) it is not shipped.
  if (installed('webgpu'))
    assert.ok(webgpu.loaded || /no GPU adapter/.test(webgpu.reason ?? ''), JSON.stringify(webgpu));
  else assert.equal(webgpu.reason, notShipped('webgpu'));
  for (const status of statuses) assert.ok(!status.reason?.includes('\n'), 'reasons are one line');
});

test('a missing CUDA library is a message, not a stack trace', () => {
  const error = Object.assign(
    new Error(
      'libcudart.so.11.0: cannot open shared object file: No such file or directory\n    at Module._extensions',
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
  assert.equal(
    explainNativeFailure(error, '@tensorflow/tfjs-node-gpu'),
    'CUDA library libcudart.so.11.0 not found (tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1)',
  );
  const missing = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'\nRequire stack:"), {
    code: 'MODULE_NOT_FOUND',
  });
  assert.equal(
    explainNativeFailure(missing, '@tensorflow/tfjs-node'),
    'not shipped in this build (optional package @tensorflow/tfjs-node is not installed)',
  );
});

test('a range-test result lists only real fallbacks, never backends not shipped in this build (regression: every result said "Cannot find module \'webgpu\'")', async () => {
  const loaded = await loadBackend();
  // WebGPU comes before ONNX Runtime and loads only where a GPU adapter exists (not on the CI machine).
  assert.ok(['webgpu', 'onnxruntime'].includes(loaded.name), loaded.name);
  const names = loaded.attempts.map((attempt) => attempt.name);
  assert.ok(!names.includes('tfjs-node-gpu') && !names.includes('tfjs-node'), JSON.stringify(loaded.attempts));
  for (const attempt of loaded.attempts) {
    assert.ok(attempt.loaded || !/not shipped|Cannot find module/.test(attempt.reason ?? ''), JSON.stringify(attempt));
  }
  assert.equal(names.includes('webgpu'), installed('webgpu'), 'webgpu appears only where its package is there');
  assert.deepEqual(loaded.attempts.at(-1), { name: loaded.name, loaded: true });
});

test('a preferred backend that is not shipped says so in the result, then the next one runs', async () => {
  const loaded = await loadBackend({ preferred: 'tfjs-node' });
  assert.deepEqual(loaded.attempts[0], {
    name: 'tfjs-node',
    loaded: false,
    reason: notShipped('@tensorflow/tfjs-node'),
  });
  assert.ok(['webgpu', 'onnxruntime'].includes(loaded.name), loaded.name);
  assert.equal(loaded.attempts.filter((attempt) => attempt.reason?.startsWith('not shipped')).length, 1);
});
