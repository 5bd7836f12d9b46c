// The Python runner of the range test on the user's own PyTorch model, driven through pythonRunner.ts, with Debian's
// /usr/bin/python3 and its torch (CPU). Every curve is checked against a plain PyTorch loop written here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LineSplitter,
  defaultRunnerScript,
  parseRunnerLine,
  resolveInterpreter,
  startPythonRunner,
  type PythonRunnerSpec,
  type RunnerHandle,
  type RunnerOutcome,
  type RunnerStep,
  type StartRunnerOptions,
} from '../../server/src/compute/pythonRunner';

const PYTHON = '/usr/bin/python3';
const PROJECT = realpathSync(path.join(__dirname, '..', 'fixtures', 'pytorch_project'));
const RUNNER = defaultRunnerScript(path.join(__dirname, '..', '..', 'server', 'src', 'compute'));

/** The exponential ramp the caller computes (start · (end/start)^(i/(n-1))). */
function ramp(start: number, end: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start * (end / start) ** (i / (n - 1)));
}

function spec(overrides: Partial<PythonRunnerSpec> = {}): PythonRunnerSpec {
  return {
    workspace: PROJECT,
    mode: 'entrypoints',
    model: 'train.models:build_model',
    data: 'train.data:train_loader',
    loss: 'cross_entropy',
    optimizer: { class_path: 'torch.optim.SGD', kwargs: { lr: 0.01, momentum: 0.9 } },
    device: 'cpu',
    lrs: ramp(1e-4, 1e-1, 6),
    seed: 0,
    ...overrides,
  };
}

interface Run {
  outcome: RunnerOutcome;
  steps: RunnerStep[];
  stderr: string;
  pid: number | undefined;
}

async function run(
  jobSpec: PythonRunnerSpec,
  options: Partial<StartRunnerOptions> & { onStepHandle?: (step: RunnerStep, handle: RunnerHandle) => void } = {},
): Promise<Run> {
  const steps: RunnerStep[] = [];
  let stderr = '';
  const { onStepHandle, ...rest } = options;
  const handle: RunnerHandle = startPythonRunner({
    interpreter: PYTHON,
    script: RUNNER,
    spec: jobSpec,
    onStep: (step) => {
      steps.push(step);
      onStepHandle?.(step, handle);
    },
    onStderr: (text) => (stderr += text),
    ...rest,
  });
  const outcome = await handle.done;
  assertGone(handle.pid);
  return { outcome, steps, stderr, pid: handle.pid };
}

/**
 * The runner's process is gone and no process of its group is left running. A killed member may stay a zombie until
 * init reaps it (this container's init does so lazily); a zombie runs nothing, so it counts as gone.
 */
function assertGone(pid: number | undefined): void {
  if (pid === undefined) return;
  assert.throws(
    () => process.kill(pid, 0),
    (error: NodeJS.ErrnoException) => error.code === 'ESRCH',
    `process ${pid} is still there`,
  );
  try {
    process.kill(-pid, 0);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ESRCH');
    return;
  }
  assert.deepEqual(runningInGroup(pid), [], `processes of group ${pid} still running`);
}

/** The processes of a process group that are not zombies, from /proc (Linux). */
function runningInGroup(pgid: number): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === pgid && state !== 'Z' && state !== 'X' ? [`${entry} (${state})`] : [];
      } catch {
        return [];
      }
    });
}

function python(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      args,
      { cwd: PROJECT, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * A plain PyTorch loop, independent of the runner: seeds, `setup` (defines model, loader, opt, ratios, loss_of(batch)),
 * puts the model in training mode, then for each lr sets every group's lr, takes the next batch (a new pass when one
 * ends), computes the loss, steps.
 */
async function referenceLosses(setup: string, lrs: number[]): Promise<{ losses: number[]; seconds: number }> {
  const program = `
import json, random, sys, time
sys.path.insert(0, ${JSON.stringify(PROJECT)})
real_stdout, sys.stdout = sys.stdout, sys.stderr
import torch
try:
    import numpy
    numpy.random.seed(0)
except ImportError:
    pass
random.seed(0)
torch.manual_seed(0)
${setup}
model.train()
lrs = json.loads(sys.argv[1])
it = iter(loader)
losses = []
started = time.time()
for lr in lrs:
    for group, ratio in zip(opt.param_groups, ratios):
        group["lr"] = lr * ratio
    try:
        batch = next(it)
    except StopIteration:
        it = iter(loader)
        batch = next(it)
    loss = loss_of(batch)
    losses.append(loss.item())
    loss.backward()
    opt.step()
    opt.zero_grad(set_to_none=True)
seconds = time.time() - started
real_stdout.write(json.dumps({"losses": losses, "seconds": seconds}))
`;
  const { stdout } = await python(['-c', program, JSON.stringify(lrs)]);
  return JSON.parse(stdout) as { losses: number[]; seconds: number };
}

/** Runs `job` and, alongside it, the plain loop that `setup` prepares over the same lrs. */
function runWithReference(
  job: PythonRunnerSpec,
  setup: string,
  lrs: number[],
): Promise<[Run, { losses: number[]; seconds: number }]> {
  return Promise.all([run(job), referenceLosses(setup, lrs)]);
}

/** The runner's losses equal the plain loop's to a relative 1e-6, step by step. */
function assertLossesClose(result: Run, reference: { losses: number[] }, what: string): void {
  const actual = result.steps.map((step) => step.loss);
  const expected = reference.losses;
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} steps, expected ${expected.length}`);
  actual.forEach((value, i) => {
    const scale = Math.max(Math.abs(expected[i]), 1e-12);
    assert.ok(Math.abs(value - expected[i]) / scale <= 1e-6, `${what}, step ${i}: ${value} vs ${expected[i]}`);
  });
}

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map(String).sort();
}

function failed(outcome: RunnerOutcome): {
  kind: string;
  message: string;
  summary?: string;
  file?: string;
  line?: number;
} {
  assert.equal(outcome.end.status, 'failed', JSON.stringify(outcome.end));
  return outcome.end as { kind: string; message: string; summary?: string; file?: string; line?: number };
}

// ---------------------------------------------------------------------------------------------------------------------

test('entry points: the streamed lrs and losses equal a plain PyTorch loop (AdamW, two param groups keeping their ratio), and nothing is written to the workspace', async () => {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'optlens-project-'));
  try {
    await cp(PROJECT, copy, { recursive: true });
    const before = await listTree(copy);
    const lrs = ramp(1e-5, 1, 20); // 20 steps: two and a half passes over the 8 batches
    const job = spec({
      workspace: copy,
      optimizer: { class_path: 'torch.optim.AdamW', kwargs: { weight_decay: 0.01, betas: [0.9, 0.95] } },
      params: 'train.models:param_groups',
      lrs,
    });
    const [result, reference] = await runWithReference(
      job,
      `
from train.models import build_model, param_groups
from train.data import train_loader
model = build_model()
loader = train_loader()
opt = torch.optim.AdamW(param_groups(model), weight_decay=0.01, betas=(0.9, 0.95))
ratios = [1.0, 0.1]
loss_of = lambda batch: torch.nn.functional.cross_entropy(model(batch[0]), batch[1])
`,
      lrs,
    );
    assert.deepEqual(result.outcome.end, { status: 'completed', steps: 20 });
    assert.equal(result.outcome.hello?.torch.startsWith('1.13'), true, JSON.stringify(result.outcome.hello));
    assert.equal(result.outcome.hello?.executable, PYTHON);
    assert.equal(result.outcome.hello?.device, 'cpu');
    assert.deepEqual(
      result.steps.map((step) => step.index),
      lrs.map((_, i) => i),
    );
    assert.deepEqual(
      result.steps.map((step) => step.lr),
      lrs,
    );
    assertLossesClose(result, reference, 'runner vs plain loop');
    assert.match(result.stderr, /building the model/, 'the user print goes to stderr');
    assert.deepEqual(await listTree(copy), before, 'the runner wrote into the workspace');
    const perStepRunner = (result.outcome.loopSeconds ?? NaN) / 20;
    console.log(
      `per step: runner ${(perStepRunner * 1e3).toFixed(2)} ms, plain loop ${((reference.seconds / 20) * 1e3).toFixed(2)} ms; first step after ${result.outcome.firstStepSeconds?.toFixed(2)} s`,
    );
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});

test('Lightning mode: a plain module (training_step, configure_optimizers) and data module, nested class_path, equal to a plain loop', async () => {
  const lrs = ramp(1e-4, 1, 12);
  const job = spec({
    mode: 'lightning',
    model: undefined,
    data: undefined,
    loss: undefined,
    lightning: {
      model: {
        class_path: 'train.lit.LitClassifier',
        init_args: { backbone: { class_path: 'train.lit.Backbone', init_args: { hidden: 24 } }, lr: 0.05 },
      },
      data: { class_path: 'train.lit.SyntheticDataModule', init_args: { batch_size: 32 } },
    },
    optimizer: null,
    lrs,
  });
  const [result, reference] = await runWithReference(
    job,
    `
from train.lit import Backbone, LitClassifier, SyntheticDataModule
model = LitClassifier(backbone=Backbone(hidden=24), lr=0.05)
dm = SyntheticDataModule(batch_size=32)
dm.prepare_data()
dm.setup(stage="fit")
loader = dm.train_dataloader()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
ratios = [1.0]
loss_of = lambda batch: model.training_step(batch, 0)["loss"]
`,
    lrs,
  );
  assert.deepEqual(result.outcome.end, { status: 'completed', steps: 12 });
  assertLossesClose(result, reference, 'Lightning runner vs plain loop');
  assert.match(result.stderr, /prepare_data[\s\S]*setup\(stage=fit\)/);
});

test('Lightning mode with the optimizer from the config (LightningCLI `optimizer:`)', async () => {
  const job = spec({
    mode: 'lightning',
    lightning: {
      model: { class_path: 'train.lit.LitClassifier' },
      data: { class_path: 'train.lit.SyntheticDataModule', init_args: { batch_size: 64 } },
    },
    optimizer: { class_path: 'torch.optim.SGD', kwargs: { lr: 0.01, momentum: 0.9 } },
    lrs: [0.01, 0.02, 0.03],
  });
  const result = await run(job);
  assert.deepEqual(result.outcome.end, { status: 'completed', steps: 3 });
  assert.ok(result.steps.every((step) => Number.isFinite(step.loss) && step.loss > 0));
});

test('Hugging Face style: dict batches go to model(**batch) and the loss is read from `.loss`, equal to a plain loop', async () => {
  const lrs = ramp(1e-4, 1e-1, 8);
  const job = spec({
    model: 'train.hf_style:build_model',
    data: 'train.hf_style:train_loader',
    loss: null,
    optimizer: { class_path: 'Adam', kwargs: {} },
    lrs,
  });
  const [result, reference] = await runWithReference(
    job,
    `
from train.hf_style import build_model, train_loader
model = build_model()
loader = train_loader()
opt = torch.optim.Adam(model.parameters(), lr=${lrs[0]})
ratios = [1.0]
loss_of = lambda batch: model(**batch).loss
`,
    lrs,
  );
  assert.deepEqual(result.outcome.end, { status: 'completed', steps: 8 });
  assertLossesClose(result, reference, 'HF-style runner vs plain loop');
});

test('a generator function of dict batches is called again for each pass; C-level writes to fd 1 do not reach the protocol', async () => {
  const result = await run(
    spec({
      model: 'train.models:build_model_on_stdout',
      data: 'train.data:batch_list',
      lrs: [0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
    }),
  );
  assert.deepEqual(result.outcome.end, { status: 'completed', steps: 6 });
  assert.match(result.stderr, /raw bytes on fd 1/);
  const generated = await run(
    spec({
      model: 'train.hf_style:build_model',
      data: 'train.hf_style:dict_batches',
      loss: null,
      lrs: Array(10).fill(1e-3),
    }),
  );
  assert.deepEqual(generated.outcome.end, { status: 'completed', steps: 10 });
});

for (const variant of [
  { name: 'in-process data', data: 'train.data:train_loader', processes: 1 },
  { name: 'a DataLoader worker process', data: 'train.data:worker_loader', processes: 2 },
]) {
  test(`cancel ends the run within 1 s and leaves no process (${variant.name})`, async () => {
    let cancelledAt = 0;
    let group: string[] = [];
    const result = await run(spec({ data: variant.data, lrs: Array(100_000).fill(1e-3) }), {
      onStepHandle: (step, handle) => {
        if (step.index === 5) {
          group = runningInGroup(handle.pid!);
          cancelledAt = performance.now();
          handle.cancel();
        }
      },
    });
    assert.equal(group.length, variant.processes, `the runner's group before the cancel: ${group.join(', ')}`);
    const latency = performance.now() - cancelledAt;
    assert.deepEqual(result.outcome.end, { status: 'cancelled' });
    assert.ok(cancelledAt > 0 && latency < 1000, `cancel took ${latency.toFixed(0)} ms`);
    console.log(`cancel (${variant.name}): ${latency.toFixed(0)} ms`);
  });
}

test('stop() after step k ends the run as stopped after k+1..k+2 steps', async () => {
  const k = 2;
  // 150 ms batches: a step must take longer than the pipe's latency for "after the current step" to mean one step.
  const result = await run(spec({ data: 'train.data:slow_batches', lrs: Array(1000).fill(1e-3) }), {
    onStepHandle: (step, handle) => {
      if (step.index === k) handle.stop();
    },
  });
  assert.equal(result.outcome.end.status, 'stopped', JSON.stringify(result.outcome.end));
  const steps = (result.outcome.end as { steps: number }).steps;
  assert.ok(steps >= k + 1 && steps <= k + 2, `stopped after ${steps} steps`);
  assert.equal(result.steps.length, steps);
});

test('EOF on stdin (the parent is gone) ends the runner at once', async () => {
  const child = spawn(PYTHON, ['-u', RUNNER], {
    cwd: PROJECT,
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdin.write(`${JSON.stringify({ protocol: 1, ...spec({ lrs: Array(100_000).fill(1e-3) }) })}\n`);
  let closedAt = 0;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    if (!closedAt && buffered.includes('"type":"step"')) {
      closedAt = performance.now();
      child.stdin.end();
    }
  });
  const code = await exited;
  const latency = performance.now() - closedAt;
  assert.ok(closedAt > 0, 'no step was written');
  assert.notEqual(code, 0);
  assert.ok(latency < 1000, `the runner took ${latency.toFixed(0)} ms to notice EOF`);
});

test('an exception in the user model: kind user-code, the message, the fixture file and the line', async () => {
  const file = path.join(PROJECT, 'train', 'broken.py');
  const line =
    (await readFile(file, 'utf8')).split('\n').findIndex((text) => text.includes('optlens-test: raises here')) + 1;
  const result = await run(spec({ model: 'train.broken:build_raising_model' }));
  const end = failed(result.outcome);
  assert.equal(end.kind, 'user-code');
  assert.match(end.message, /ValueError: bad shape: expected 17 features, got 16/);
  assert.equal(end.file, file);
  assert.equal(end.line, line);
  assert.equal(end.summary, `ValueError: bad shape: expected 17 features, got 16 (train/broken.py:${line})`);
  assert.equal(result.steps.length, 0);
});

test('torch missing: a clear message naming the interpreter', async () => {
  const fake = await mkdtemp(path.join(os.tmpdir(), 'optlens-notorch-'));
  try {
    await mkdir(path.join(fake, 'torch'));
    await writeFile(path.join(fake, 'torch', '__init__.py'), 'raise ImportError("No module named \'torch\'")\n');
    const result = await run(spec(), { env: { ...process.env, PYTHONPATH: fake } });
    const end = failed(result.outcome);
    assert.equal(end.kind, 'torch-missing');
    assert.ok(end.message.includes(PYTHON), end.message);
    assert.match(end.message, /No module named 'torch'/);
    assert.match(end.message, /pip install torch/);
    assert.equal(result.outcome.hello, undefined);
  } finally {
    await rm(fake, { recursive: true, force: true });
  }
});

test('a module or an attribute that does not exist: kind import, naming exactly which', async () => {
  const noModule = failed((await run(spec({ model: 'train.nonexistent:build_model' }))).outcome);
  assert.equal(noModule.kind, 'import');
  assert.match(noModule.message, /module 'train\.nonexistent' not found/);
  const noAttribute = failed((await run(spec({ data: 'train.data:train_loadr' }))).outcome);
  assert.equal(noAttribute.kind, 'import');
  assert.match(noAttribute.message, /module 'train\.data' has no attribute 'train_loadr'/);
});

test('a loss that is not a scalar: kind bad-loss, saying what was found', async () => {
  const perSample = failed((await run(spec({ loss: 'train.broken:per_sample_loss' }))).outcome);
  assert.equal(perSample.kind, 'bad-loss');
  assert.match(perSample.message, /has shape \[32\]/);
  const logits = failed((await run(spec({ model: 'train.broken:build_logits_model', loss: null }))).outcome);
  assert.equal(logits.kind, 'bad-loss');
  assert.match(logits.message, /shape \[32, 4\]/);
});

test('a non-finite loss at step k: the step lines carry it (restored as Infinity, then NaN) and the run goes on', async () => {
  const result = await run(spec({ model: 'train.broken:build_exploding_model', loss: null, lrs: Array(9).fill(0.1) }));
  assert.deepEqual(result.outcome.end, { status: 'completed', steps: 9 });
  const losses = result.steps.map((step) => step.loss);
  assert.ok(losses.slice(0, 5).every(Number.isFinite), JSON.stringify(losses));
  assert.equal(losses[5], Number.POSITIVE_INFINITY);
  assert.ok(losses.slice(6).every(Number.isNaN), String(losses));
});

test('data, device and spec failures', async () => {
  const empty = failed((await run(spec({ data: 'train.data:empty_loader' }))).outcome);
  assert.equal(empty.kind, 'data');
  assert.match(empty.message, /yielded no batches/);
  const device = failed((await run(spec({ device: 'cuda:1' }))).outcome);
  assert.equal(device.kind, 'device');
  assert.match(device.message, /cuda:1 was requested but/);
  const badSpec = failed((await run(spec({ lrs: [] }))).outcome);
  assert.equal(badSpec.kind, 'spec');
  assert.match(badSpec.message, /lrs/);
  const exits = failed((await run(spec({ data: 'train.broken:build_data_that_exits' }))).outcome);
  assert.equal(exits.kind, 'user-code');
  assert.match(exits.message, /SystemExit/);
});

test("an optimizer keyword this torch does not know, or an optimizer it does not have: kind optimizer with torch's message", async () => {
  const fused = failed(
    (await run(spec({ optimizer: { class_path: 'torch.optim.SGD', kwargs: { lr: 0.1, fused: true } } }))).outcome,
  );
  assert.equal(fused.kind, 'optimizer');
  assert.match(fused.message, /unexpected keyword argument 'fused'/);
  const missing = failed((await run(spec({ optimizer: { class_path: 'torch.optim.Lion', kwargs: {} } }))).outcome);
  assert.equal(missing.kind, 'optimizer');
  assert.match(missing.message, /torch 1\.13\S* has no optimizer torch\.optim\.Lion/);
});

test('device choice with a fake torch: cuda first, then mps, then cpu; an unavailable cuda:1 is a device error', async () => {
  const program = `
import importlib.util, json, sys, types
spec = importlib.util.spec_from_file_location("runner", ${JSON.stringify(RUNNER)})
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)

def fake(cuda_count=0, mps=False):
    cuda = types.SimpleNamespace(is_available=lambda: cuda_count > 0, device_count=lambda: cuda_count,
                                 current_device=lambda: 0, get_device_name=lambda i: "NVIDIA H100 80GB HBM3")
    backends = types.SimpleNamespace(mps=types.SimpleNamespace(is_available=lambda: mps, is_built=lambda: mps))
    return types.SimpleNamespace(cuda=cuda, backends=backends, version=types.SimpleNamespace(cuda="12.1" if cuda_count else None))

def no_driver():
    torch = fake()
    torch.version.cuda = "12.1"
    def init():
        raise RuntimeError("Found no NVIDIA driver on your system.")
    torch.cuda.init = init
    return torch

def choose(requested, torch):
    try:
        return list(runner.choose_device(requested, torch))
    except runner.RunnerError as error:
        return [error.kind, error.message]

print(json.dumps({
    "auto_cuda": choose("auto", fake(cuda_count=2, mps=True)),
    "cuda1": choose("cuda:1", fake(cuda_count=2)),
    "cuda": choose("cuda", fake(cuda_count=2)),
    "cuda2_of_2": choose("cuda:2", fake(cuda_count=2)),
    "auto_mps": choose("auto", fake(mps=True)),
    "auto_cpu": choose("auto", fake()),
    "cpu": choose("cpu", fake(cuda_count=2)),
    "cuda1_none": choose("cuda:1", fake()),
    "mps_none": choose("mps", fake()),
    "no_driver": choose("cuda", no_driver()),
    "bad": choose("tpu:x", fake()),
}))
`;
  const result = JSON.parse((await python(['-c', program])).stdout) as Record<string, [string, string | null]>;
  assert.deepEqual(result['auto_cuda'], ['cuda:0', 'NVIDIA H100 80GB HBM3']);
  assert.deepEqual(result['cuda1'], ['cuda:1', 'NVIDIA H100 80GB HBM3']);
  assert.deepEqual(result['cuda'], ['cuda:0', 'NVIDIA H100 80GB HBM3']);
  assert.equal(result['cuda2_of_2'][0], 'device');
  assert.match(result['cuda2_of_2'][1] ?? '', /torch sees 2 CUDA devices/);
  assert.deepEqual(result['auto_mps'], ['mps', 'Apple MPS']);
  assert.deepEqual(result['auto_cpu'], ['cpu', null]);
  assert.deepEqual(result['cpu'], ['cpu', null]);
  assert.equal(result['cuda1_none'][0], 'device');
  assert.match(result['cuda1_none'][1] ?? '', /cuda:1 was requested but this torch was built without CUDA/);
  assert.equal(result['mps_none'][0], 'device');
  assert.deepEqual(result['no_driver'], [
    'device',
    'cuda was requested but torch.cuda.is_available() is False (a CUDA 12.1 build; no usable GPU or driver): Found no NVIDIA driver on your system.',
  ]);
  assert.equal(result['bad'][0], 'device');
});

// --- the driver against misbehaving runners -------------------------------------------------------------------------

async function withScript(body: string, check: (script: string) => Promise<void>): Promise<void> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'optlens-runner-'));
  try {
    const script = path.join(directory, 'runner.py');
    await writeFile(script, body);
    await check(script);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

test('a runner that prints garbage: protocol failure quoting the line, and the process is ended', async () => {
  await withScript('import time\nprint("hello world", flush=True)\ntime.sleep(60)\n', async (script) => {
    const end = failed((await run(spec(), { script })).outcome);
    assert.equal(end.kind, 'protocol');
    assert.match(end.message, /"hello world"/);
  });
});

test('a runner of another protocol version, and a runner writing an endless line: protocol failures', async () => {
  await withScript(
    'import sys, time\nsys.stdout.write(\'{"type":"hello","protocol":2,"python":"3","torch":"9","executable":"x","device":"cpu","device_name":"cpu"}\\n\')\nsys.stdout.flush()\ntime.sleep(60)\n',
    async (script) => {
      const end = failed((await run(spec(), { script })).outcome);
      assert.equal(end.kind, 'protocol');
      assert.match(end.message, /protocol 2/);
    },
  );
  await withScript(
    'import sys, time\nfor _ in range(300):\n    sys.stdout.write("x" * 10000)\nsys.stdout.flush()\ntime.sleep(60)\n',
    async (script) => {
      const end = failed((await run(spec(), { script })).outcome);
      assert.equal(end.kind, 'protocol');
      assert.match(end.message, /longer than/);
    },
  );
});

test('a runner that exits silently: crashed, with the exit code and its last stderr lines', async () => {
  await withScript('import sys\nsys.stderr.write("something went wrong\\n")\nsys.exit(3)\n', async (script) => {
    const end = failed((await run(spec(), { script })).outcome);
    assert.equal(end.kind, 'crashed');
    assert.match(end.message, /exit code 3/);
    assert.match(end.message, /something went wrong/);
  });
});

test('a runner that never says hello: timeout naming the wait, and the process is ended', async () => {
  await withScript('import time\ntime.sleep(60)\n', async (script) => {
    const end = failed((await run(spec(), { script, startTimeoutMs: 300 })).outcome);
    assert.equal(end.kind, 'timeout');
    assert.match(end.message, /No hello/);
  });
});

test('a Python that does not exist: python-missing naming the path', async () => {
  const result = await run(spec(), { interpreter: '/nonexistent/bin/python3' });
  const end = failed(result.outcome);
  assert.equal(end.kind, 'python-missing');
  assert.ok(end.message.includes('/nonexistent/bin/python3'), end.message);
});

// --- pure parts -------------------------------------------------------------------------------------------------------

test('LineSplitter: lines split across chunks and UTF-8 characters split across chunks; an overlong line is refused', () => {
  const splitter = new LineSplitter(16);
  const bytes = Buffer.from('{"a":"é"}\r\n{"b"');
  assert.deepEqual(splitter.push(bytes.subarray(0, 7)), { lines: [] });
  assert.deepEqual(splitter.push(bytes.subarray(7)), { lines: ['{"a":"é"}'] });
  assert.deepEqual(splitter.push(':1}\n'), { lines: ['{"b":1}'] });
  assert.deepEqual(splitter.end(), []);
  const long = new LineSplitter(16);
  assert.deepEqual(long.push('0123456789'), { lines: [] });
  assert.equal(long.push('0123456789').overflow, '01234567890123456789');
});

test('parseRunnerLine: non-finite losses restored, malformed lines explained', () => {
  assert.deepEqual(parseRunnerLine('{"type":"step","index":3,"lr":0.1,"loss":null,"nonfinite":"nan"}'), {
    type: 'step',
    step: { index: 3, lr: 0.1, loss: Number.NaN },
  });
  assert.deepEqual(parseRunnerLine('{"type":"step","index":3,"lr":0.1,"loss":null,"nonfinite":"-inf"}'), {
    type: 'step',
    step: { index: 3, lr: 0.1, loss: Number.NEGATIVE_INFINITY },
  });
  assert.equal(
    parseRunnerLine('{"type":"step","index":3,"lr":0.1,"loss":null}'),
    'a step whose loss is neither a number nor null with nonfinite "nan", "inf" or "-inf"',
  );
  assert.equal(parseRunnerLine('hello world'), 'not JSON');
  assert.equal(parseRunnerLine('{"type":"progress"}'), 'unknown message type "progress"');
});

test('resolveInterpreter: the setting, then the Python extension, then python3 (python on Windows)', () => {
  assert.deepEqual(resolveInterpreter({ setting: ' /opt/py/bin/python ', pythonExtension: '/env/bin/python' }), {
    path: '/opt/py/bin/python',
    source: 'setting',
  });
  assert.deepEqual(resolveInterpreter({ setting: '', pythonExtension: '/env/bin/python' }), {
    path: '/env/bin/python',
    source: 'python-extension',
  });
  assert.deepEqual(resolveInterpreter({ platform: 'linux' }), { path: 'python3', source: 'path' });
  assert.deepEqual(resolveInterpreter({ platform: 'win32' }), { path: 'python', source: 'path' });
});
