// The user's TensorFlow.js model on ONNX Runtime: where the graph can be built (Sequential Dense/Flatten stacks),
// its curve agrees with TensorFlow.js (WASM) from the same files and seed, for each of the user task's losses;
// any other model is passed over with the reason in the result's backend attempts, and TensorFlow.js runs it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rangeTestJob } from '../../server/src/compute/jobs';
import type { RangeTestJobParams } from '../../server/src/compute/jobs';
import { planUserModel } from '../../server/src/compute/onnx/userModelGraph';
import { rangeTestEngines } from '../../server/src/compute/engines';
import { loadBackend } from '../../server/src/compute/backends';
import { resolveOptimizer } from '../../server/src/core/optim/hyperparameters';
import { parseRangeTestSection } from '../../server/src/core/rangeTest/index';
import type { BackendName } from '../../server/src/compute/backends';
import type { OptimizerConfig } from '../../server/src/core/optim/types';

const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
const layers = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');

let workspace = '';

before(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'optlens-onnx-user-'));
  // Registers the cpu backend for building and saving the models; each job then activates its own backend.
  require('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

after(() => fs.rmSync(workspace, { recursive: true, force: true }));

type Layer = InstanceType<typeof layers.layers.Layer>;

/**
 * Saves the Sequential model of `stack` as `<name>.json` + `<name>.bin` in the workspace, as tfjs `model.save`
 * writes them, after giving it fixed weights (Glorot-sized, biases too), so every run of a test trains the same network.
 */
async function writeModel(name: string, stack: readonly Layer[]): Promise<string> {
  const model = layers.sequential({ layers: [...stack] });
  model.setWeights(
    model.getWeights().map((weight, w) => {
      const shape = weight.shape;
      const fanOut = shape[shape.length - 1]!;
      const fanIn = shape.length > 1 ? weight.size / fanOut : fanOut;
      const scale = shape.length > 1 ? Math.sqrt(6 / (fanIn + fanOut)) : 0.1;
      return tf.tensor(
        Float32Array.from({ length: weight.size }, (_, i) => scale * Math.sin(1.7 * i + w + 0.3)),
        shape,
      );
    }),
  );
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.writeFileSync(path.join(workspace, `${name}.bin`), Buffer.from(artifacts.weightData as ArrayBuffer));
      const manifest = [{ paths: [`${name}.bin`], weights: artifacts.weightSpecs! }];
      fs.writeFileSync(
        path.join(workspace, `${name}.json`),
        JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: manifest }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return `${name}.json`;
}

/** A CSV of 120 rows of `features` columns and a label: a class in 0..classes-1, or a real target when classes is 1. */
function writeCsv(name: string, features: number, classes: number): string {
  const rows = [[...Array.from({ length: features }, (_, j) => `f${j}`), 'label'].join(',')];
  for (let i = 0; i < 120; i++) {
    const x = Array.from({ length: features }, (_, j) => Math.sin(i * (j + 1) * 0.7) + 0.1 * j);
    const label = classes > 1 ? i % classes : 0.5 * x[0]! - x[1]! + 0.3;
    rows.push([...x.map((v) => v.toFixed(5)), String(label)].join(','));
  }
  fs.writeFileSync(path.join(workspace, name), `${rows.join('\n')}\n`);
  return name;
}

function params(
  model: string,
  data: string,
  optimizer: OptimizerConfig,
  backend: BackendName,
  ramp = { start_lr: 1e-3, end_lr: 3e-1 },
): RangeTestJobParams {
  const parsed = parseRangeTestSection({ task: 'user', model, data, num_iter: 15, seed: 3, batch_size: 16, ...ramp });
  assert.ok(parsed.params, JSON.stringify(parsed.issues));
  return { rangeTest: parsed.params, optimizer, backend: { preferred: backend }, workspaceRoot: workspace };
}

const run = (p: RangeTestJobParams) =>
  rangeTestJob(
    p,
    () => {},
    () => false,
  );

/** Why two loss curves on two float32 engines differ by more than rounding (test/compute/onnxBackend.test.ts's tolerance). */
function curveMismatch(losses: readonly number[], reference: readonly number[]): string | undefined {
  if (losses.length !== reference.length) return `${losses.length} steps against ${reference.length}`;
  const step = losses.findIndex(
    (loss, i) => !(Math.abs(loss - reference[i]!) <= 1e-4 + 1e-3 * Math.abs(reference[i]!)),
  );
  return step < 0 ? undefined : `step ${step}: ${losses[step]} vs ${reference[step]}`;
}

/** onnxruntime's curve ran every step, moved the weights and equals the reference engine's within `curveMismatch`. */
function assertSameCurve(losses: readonly number[], reference: readonly number[], optimizer: OptimizerConfig): void {
  assert.equal(losses.length, 15, `${optimizer.type}: every step ran`);
  assert.equal(curveMismatch(losses, reference), undefined, `${optimizer.type} ${JSON.stringify(optimizer.params)}`);
  assert.notEqual(losses[losses.length - 1], losses[0], 'the weights moved');
}

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'SGD', params: { lr: 0.1, momentum: 0.9, weight_decay: 1e-3 } },
  { type: 'Adam', params: { lr: 1e-3 } },
  { type: 'RMSprop', params: { lr: 1e-3, centered: true } },
];

const MODELS: Record<string, { build: () => Layer[]; features: number; classes: number; task: RegExp }> = {
  'softmax classifier (cross-entropy on probabilities), Flatten input, a layer without bias': {
    build: () => [
      layers.layers.flatten({ inputShape: [2, 3] }),
      layers.layers.dense({ units: 16, activation: 'tanh' }),
      layers.layers.dense({ units: 8, activation: 'relu', useBias: false }),
      layers.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    features: 6,
    classes: 4,
    task: /4-class cross-entropy/,
  },
  'classifier without softmax (cross-entropy on logits), sigmoid hidden layer': {
    build: () => [
      layers.layers.dense({ units: 12, activation: 'sigmoid', inputShape: [5] }),
      layers.layers.dense({ units: 3 }),
    ],
    features: 5,
    classes: 3,
    task: /3-class cross-entropy/,
  },
  'regression with one output (mean squared error)': {
    build: () => [
      layers.layers.dense({ units: 10, activation: 'relu', inputShape: [3] }),
      layers.layers.dense({ units: 1, activation: 'linear' }),
    ],
    features: 3,
    classes: 1,
    task: /mean squared error/,
  },
};

for (const [title, spec] of Object.entries(MODELS)) {
  test(`user model, ${title}: onnxruntime and wasm give the same curve from the same files and seed`, async () => {
    const slug = title.replace(/[^a-z]+/g, '_').slice(0, 30);
    const model = await writeModel(slug, spec.build());
    const data = writeCsv(`${slug}.csv`, spec.features, spec.classes);
    for (const optimizer of OPTIMIZERS) {
      const onnx = await run(params(model, data, optimizer, 'onnxruntime'));
      const wasm = await run(params(model, data, optimizer, 'wasm'));
      assert.equal(onnx.backend, 'onnxruntime', JSON.stringify(onnx.backendAttempts));
      assert.equal(wasm.backend, 'wasm');
      assert.equal(onnx.task, wasm.task);
      assert.match(onnx.task, spec.task);
      assertSameCurve(onnx.losses, wasm.losses, optimizer);
    }
  });
}

test('user CNN (Conv2D same and valid, MaxPooling2D, Flatten, Dense): onnxruntime and TensorFlow.js (cpu) give the same curve', async () => {
  const model = await writeModel('cnn', [
    layers.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.layers.maxPooling2d({ poolSize: 2 }),
    layers.layers.conv2d({ filters: 3, kernelSize: [3, 1], padding: 'valid', activation: 'tanh', useBias: false }),
    layers.layers.flatten(),
    layers.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  const data = writeCsv('cnn.csv', 8 * 8 * 2, 3);
  // The WASM backend has no Conv2DBackpropFilter kernel (tasks.ts), so the reference is the cpu backend. A
  // steeper ramp than the dense models' moves the convolutions' weights far enough for a wrong gradient to show.
  const ramp = { start_lr: 1e-2, end_lr: 1 };
  for (const optimizer of OPTIMIZERS.slice(0, 2)) {
    const onnx = await run(params(model, data, optimizer, 'onnxruntime', ramp));
    const cpu = await run(params(model, data, optimizer, 'cpu', ramp));
    assert.equal(onnx.backend, 'onnxruntime', JSON.stringify(onnx.backendAttempts));
    assert.equal(cpu.backend, 'cpu');
    assertSameCurve(onnx.losses, cpu.losses, optimizer);
  }
});

test('a user model with a layer the graph builder does not express falls back to TensorFlow.js, with the reason in the attempts', async () => {
  const model = await writeModel('dropout', [
    layers.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
    layers.layers.dropout({ rate: 0.5 }),
    layers.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  const data = writeCsv('dropout.csv', 4, 3);
  const result = await run(params(model, data, { type: 'Adam', params: { lr: 1e-3 } }, 'onnxruntime'));
  assert.equal(result.backend, 'wasm');
  const onnx = result.backendAttempts.find((attempt) => attempt.name === 'onnxruntime');
  assert.equal(onnx?.loaded, false);
  assert.match(
    onnx?.reason ?? '',
    /^cannot build the graph of dropout\.json: layer dropout_Dropout\d+ is a Dropout layer, random at train time; TensorFlow\.js runs it$/,
  );
  assert.ok(result.losses.length > 0);
});

test('planUserModel refuses what it cannot build, each with its reason', () => {
  const dense = (config: Record<string, unknown>) => ({
    class_name: 'Dense',
    config: { name: 'd', units: 2, batch_input_shape: [null, 3], ...config },
  });
  const manifest = [
    {
      paths: ['w.bin'],
      weights: [
        { name: 'd/kernel', shape: [3, 2], dtype: 'float32' },
        { name: 'd/bias', shape: [2], dtype: 'float32' },
      ],
    },
  ];
  const plan = (layersList: unknown[], weightsManifest: unknown = manifest, className = 'Sequential') =>
    planUserModel({ modelTopology: { class_name: className, config: { layers: layersList } }, weightsManifest });
  const accepted = plan([dense({ activation: 'softmax' })]);
  assert.equal(typeof accepted, 'object');
  assert.equal(typeof accepted === 'object' && accepted.loss, 'probabilities');
  assert.equal(
    plan([dense({ activation: 'softmax' })], manifest, 'Functional'),
    'it is a Functional model; only Sequential stacks are built',
  );
  assert.equal(
    plan([dense({ activation: 'elu' })]),
    'layer d has activation elu; the graph builder expresses linear, relu, sigmoid, tanh, softmax (softmax on Dense layers)',
  );
  assert.equal(
    plan([dense({ kernel_regularizer: { class_name: 'L1L2', config: { l2: 0.01 } } })]),
    'layer d has a kernel_regularizer',
  );
  assert.equal(plan([dense({ trainable: false })]), 'layer d is frozen (trainable: false)');
  assert.equal(
    plan([{ class_name: 'LSTM', config: { name: 'r', batch_input_shape: [null, 4, 4] } }]),
    'layer r is a LSTM layer; the graph builder expresses Dense, Conv2D, MaxPooling2D, Flatten layers',
  );
  const conv = (config: Record<string, unknown>) => ({
    class_name: 'Conv2D',
    config: {
      name: 'c',
      batch_input_shape: [null, 4, 4, 1],
      filters: 2,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding: 'same',
      dilation_rate: [1, 1],
      ...config,
    },
  });
  assert.equal(plan([conv({ strides: [2, 2] }), dense({})]), 'layer c has strides or dilation other than 1');
  assert.equal(
    plan([conv({ kernel_size: [2, 2] }), dense({})]),
    'layer c pads an even kernel (same padding, uneven sides)',
  );
  assert.equal(
    plan([conv({ activation: 'softmax' }), dense({})]),
    'layer c has activation softmax; the graph builder expresses linear, relu, sigmoid, tanh, softmax (softmax on Dense layers)',
  );
  assert.equal(
    plan([conv({}), { class_name: 'MaxPooling2D', config: { name: 'm', pool_size: [3, 3], strides: null } }]),
    'layer m pools other than 2x2 windows with stride 2',
  );
  assert.equal(plan([conv({})]), 'its last layer is not a Dense layer');
  assert.equal(
    plan([dense({ batch_input_shape: [null, 2, 3] })]),
    'layer d is a Dense layer on an input of rank 3 (no Flatten before it)',
  );
  const quantized = [
    {
      paths: ['w.bin'],
      weights: [{ name: 'd/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'uint8' } }],
    },
  ];
  assert.equal(plan([dense({})], quantized), 'weight d/kernel is stored as quantized values, not plain float32');
  assert.equal(plan([dense({ units: 4 })]), 'weight d/kernel has shape [3, 2], not [3, 4]');
  assert.equal(planUserModel('not a model'), 'it has no Layers model topology');
});

test('on onnxruntime the user files go through the same checks: weight files stay in the workspace, shapes and labels match', async () => {
  const model = await writeModel('checked', [
    layers.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] }),
  ]);
  const data = writeCsv('checked.csv', 4, 3);
  const adam: OptimizerConfig = { type: 'Adam', params: { lr: 1e-3 } };
  fs.writeFileSync(path.join(workspace, 'narrow.csv'), '1,2,3,0\n4,5,6,1\n');
  await assert.rejects(
    run(params(model, 'narrow.csv', adam, 'onnxruntime')),
    /^RangeTestInputError: Shape mismatch: checked\.json expects 4 input features .* narrow\.csv has 3 feature columns/,
  );
  fs.writeFileSync(path.join(workspace, 'labels.csv'), '1,2,3,4,0\n1,2,3,4,7\n');
  await assert.rejects(
    run(params(model, 'labels.csv', adam, 'onnxruntime')),
    /^RangeTestInputError: labels\.csv: the label in data row 2 is 7, but the model has 3 classes/,
  );
  // A weight path in the manifest that leaves the workspace is refused before anything is read.
  const json = JSON.parse(fs.readFileSync(path.join(workspace, model), 'utf8')) as {
    weightsManifest: { paths: string[] }[];
  };
  json.weightsManifest[0]!.paths = ['../outside.bin'];
  fs.writeFileSync(path.join(workspace, 'escaping.json'), JSON.stringify(json));
  await assert.rejects(
    run(params('escaping.json', data, adam, 'onnxruntime')),
    /^RangeTestInputError: weight file of escaping\.json: "\.\.\/outside\.bin" is outside the workspace folder/,
  );
  // The engine that ran: the checks above were ONNX Runtime's own (the good files run there).
  assert.equal((await run(params(model, data, adam, 'onnxruntime'))).backend, 'onnxruntime');
});

test('task user on onnxruntime reads model.json once: the backend filter and the loader share the read (issue 14)', async () => {
  const model = await writeModel('read_once', [
    layers.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] }),
  ]);
  const data = writeCsv('read_once.csv', 4, 3);
  const job = params(model, data, { type: 'Adam', params: { lr: 1e-3 } }, 'onnxruntime');
  const { resolved } = resolveOptimizer(job.optimizer);
  assert.ok(resolved);
  const reads: string[] = [];
  const engines = rangeTestEngines(job.rangeTest, resolved.rule, resolved.hyperparameters, workspace, (file) => {
    reads.push(file);
    return fs.readFileSync(file, 'utf8');
  });
  assert.equal(reads.length, 0, 'nothing is read before a backend is considered');
  const backend = await loadBackend(job.backend, engines.filter);
  assert.equal(backend.name, 'onnxruntime');
  assert.equal(engines.filter('onnxruntime'), undefined, 'asked again, the filter answers from the same read');
  // Whatever reads the file again (through the reader or not) now finds something else: the loader must not.
  fs.writeFileSync(path.join(workspace, model), 'not a model.json any more');
  const engine = await engines.create(backend);
  try {
    assert.match(engine.description, /^user: read_once\.json on 120 rows/);
    assert.equal((await engine.step(1e-3, true)).length, 1, 'the engine trains');
  } finally {
    await engine.dispose();
  }
  assert.deepEqual(reads, [path.join(workspace, model)], 'model.json is read exactly once');
});
