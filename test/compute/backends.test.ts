// Which TensorFlow.js backends load on this machine, and how native failures read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_ORDER, explainNativeFailure, listBackends } from '../../server/src/compute/backends';

test('listBackends reports all six in order: tfjs-node(-gpu) not installed; onnxruntime, wasm and cpu loaded', async () => {
  const statuses = await listBackends();
  assert.deepEqual(statuses.map((status) => status.name), [...BACKEND_ORDER]);
  const byName = new Map(statuses.map((status) => [status.name, status]));
  for (const name of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    assert.equal(byName.get(name)!.loaded, false);
    assert.equal(byName.get(name)!.reason, 'not installed (optional dependency; needs libtensorflow download)');
  }
  // onnxruntime-node is an optional dependency that installs from the npm registry alone (binaries inside).
  assert.deepEqual(byName.get('onnxruntime'), { name: 'onnxruntime', loaded: true });
  assert.equal(byName.get('wasm')!.loaded, true);
  assert.equal(byName.get('cpu')!.loaded, true);
  const webgpu = byName.get('webgpu')!;
  // This machine has no GPU; where one exists the backend may load, and then there is no reason.
  assert.ok(webgpu.loaded || /no GPU adapter|webgpu/.test(webgpu.reason ?? ''), JSON.stringify(webgpu));
  for (const status of statuses) assert.ok(!status.reason?.includes('\n'), 'reasons are one line');
});

test('a missing CUDA library is a message, not a stack trace', () => {
  const error = Object.assign(new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory\n    at Module._extensions'), { code: 'ERR_DLOPEN_FAILED' });
  assert.equal(
    explainNativeFailure(error, '@tensorflow/tfjs-node-gpu'),
    'CUDA library libcudart.so.11.0 not found (tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1)',
  );
  const missing = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'\nRequire stack:"), { code: 'MODULE_NOT_FOUND' });
  assert.equal(explainNativeFailure(missing, '@tensorflow/tfjs-node'), 'not installed (optional dependency; needs libtensorflow download)');
});
