// The reference vectors can be re-recorded: scripts/reference/generate_references.py, run with Debian's
// python3-torch (1.13), reproduces test/fixtures/schedules.json and optimizers.json from their case lists, within the
// tolerances of the fixtures' format notes (in practice bit for bit). Torch missing is a failure, not a skip.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const GENERATOR = join(ROOT, 'scripts', 'reference', 'generate_references.py');
const PYTHON = '/usr/bin/python3';
const FILES = ['schedules.json', 'optimizers.json'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Case = { [key: string]: Json };

/** How far a regenerated number may be from the committed one, for the number at `path` inside `reference`. */
type Tolerance = (path: readonly (string | number)[], committed: number) => number;

const maxAbs = (values: Json): number =>
  Array.isArray(values) ? Math.max(0, ...values.map(maxAbs)) : typeof values === 'number' ? Math.abs(values) : 0;

/**
 * The tolerances of the format notes (section 3), per field of a case. Every other number (params, x0, constants,
 * base_lr, the recorded sensitivity) and every string, boolean and key must be equal.
 */
function toleranceOf(file: (typeof FILES)[number], reference: Case): Tolerance {
  if (file === 'schedules.json') {
    // lr, momentum, betas: |a-b| <= 1e-12 * max(|b|, 1e-3 * M), M the largest value of that series.
    const largest = {
      lr: maxAbs(reference.lr ?? null),
      momentum: maxAbs(reference.momentum ?? null),
      betas: maxAbs(reference.betas ?? null),
    };
    return (path, committed) => {
      const series = path[0];
      return series === 'lr' || series === 'momentum' || series === 'betas'
        ? 1e-12 * Math.max(Math.abs(committed), 1e-3 * largest[series])
        : 0;
    };
  }
  const s = maxAbs(reference.x ?? null);
  const largestLoss = maxAbs(reference.loss ?? null);
  const largestGrad = maxAbs(reference.grad ?? null);
  const largestNoise = maxAbs(reference.noise ?? null);
  const stable = (reference.sensitivity as { full_loop_stable?: boolean } | undefined)?.full_loop_stable === true;
  return (path, committed) => {
    switch (path[0]) {
      // A regeneration is a full loop: its tolerance where the loop is stable; the chaotic cases get the replay bound.
      case 'x':
        return stable ? 1e-9 * Math.max(Math.abs(committed), 1e-3 * s) : 1e-12 * s;
      case 'loss':
        return 1e-9 * Math.max(Math.abs(committed), 1e-3 * largestLoss);
      case 'grad':
        return 1e-12 * largestGrad;
      case 'noise':
        return 1e-12 * largestNoise;
      default:
        return 0;
    }
  };
}

/** Every difference between the committed and the regenerated cases, one line each (none: they match). */
function referenceDifferences(
  file: (typeof FILES)[number],
  committed: readonly Case[],
  regenerated: readonly Case[],
): string[] {
  const differences: string[] = [];
  const byId = new Map(regenerated.map((item) => [item.id as string, item]));
  for (const reference of committed) {
    const id = reference.id as string;
    const other = byId.get(id);
    if (!other) {
      differences.push(`${file} ${id}: not regenerated (is it in the case list?)`);
      continue;
    }
    byId.delete(id);
    const tolerance = toleranceOf(file, reference);
    const walk = (a: Json, b: Json | undefined, path: (string | number)[]): void => {
      const where = `${file} ${id} ${path.join('.')}`;
      if (typeof a === 'number' && typeof b === 'number') {
        const allowed = tolerance(path, a);
        if (!(Math.abs(a - b) <= allowed))
          differences.push(`${where}: committed ${a}, regenerated ${b} (allowed ${allowed})`);
      } else if (Array.isArray(a) && Array.isArray(b)) {
        if (a.length !== b.length) differences.push(`${where}: ${a.length} items committed, ${b.length} regenerated`);
        else a.forEach((item, index) => walk(item, b[index], [...path, index]));
      } else if (
        a !== null &&
        b !== null &&
        b !== undefined &&
        typeof a === 'object' &&
        typeof b === 'object' &&
        !Array.isArray(a) &&
        !Array.isArray(b)
      ) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const key of keys) {
          if (!(key in a) || !(key in b))
            differences.push(
              `${where}${path.length > 0 ? '.' : ''}${key}: only in the ${key in a ? 'committed' : 'regenerated'} case`,
            );
          else walk(a[key]!, b[key], [...path, key]);
        }
      } else if (a !== b) {
        differences.push(`${where}: committed ${JSON.stringify(a)}, regenerated ${JSON.stringify(b)}`);
      }
    };
    walk(reference, other, []);
  }
  for (const id of byId.keys())
    differences.push(`${file} ${id}: regenerated but not committed (run the generator with --out test/fixtures)`);
  return differences;
}

function readCases(path: string): Case[] {
  return JSON.parse(readFileSync(path, 'utf8')) as Case[];
}

describe('reference vectors', () => {
  let folder: string;
  let generated: { status: number | null; error?: Error; stdout: string; stderr: string };

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'optlens-references-'));
    generated = spawnSync(PYTHON, [GENERATOR, '--out', folder], { encoding: 'utf8', timeout: 300_000 });
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  /** The generator ran; otherwise a failure that says what to install. */
  function assertGenerated(): void {
    if (generated.error) {
      assert.fail(
        `${PYTHON} could not be started (${generated.error.message}): the reference vectors are regenerated with Debian's python3 and python3-torch (apt-get install -y python3-torch).`,
      );
    }
    if (generated.status === 3) assert.fail(`torch is missing: ${generated.stderr.trim()}`);
    assert.equal(generated.status, 0, `generate_references.py failed (${generated.status}):\n${generated.stderr}`);
  }

  for (const file of FILES) {
    test(`${file} is what generate_references.py records from its case list`, () => {
      assertGenerated();
      const committed = readCases(join(ROOT, 'test', 'fixtures', file));
      const regenerated = readCases(join(folder, file));
      assert.ok(committed.length > 50, `${file} holds ${committed.length} cases`);
      assert.deepEqual(referenceDifferences(file, committed, regenerated), []);
    });
  }

  test('the comparison fails on one value perturbed beyond the tolerance, and passes it within', () => {
    assertGenerated();
    const committed = readCases(join(ROOT, 'test', 'fixtures', 'schedules.json'));
    const copy = (): Case[] => readCases(join(folder, 'schedules.json'));
    const perturbed = copy();
    const target = perturbed.find((item) => item.id === 'OneCycleLR:cos_T100')!;
    const lr = target.lr as number[];
    lr[37] = lr[37]! * (1 + 1e-9);
    assert.deepEqual(
      referenceDifferences('schedules.json', committed, perturbed).map((line) => line.replace(/: committed .*/, '')),
      ['schedules.json OneCycleLR:cos_T100 lr.37'],
    );
    const nudged = copy();
    const nudgedLr = nudged.find((item) => item.id === 'OneCycleLR:cos_T100')!.lr as number[];
    nudgedLr[37] = nudgedLr[37]! * (1 + 1e-14);
    assert.deepEqual(
      referenceDifferences('schedules.json', committed, nudged),
      [],
      'an ulp-level difference is within the documented tolerance',
    );
    const renamed = copy();
    (renamed[0]!.params as Case).gamma = 0.25;
    assert.equal(
      referenceDifferences('schedules.json', committed, renamed).length,
      1,
      'a changed parameter is a difference, whatever its size',
    );

    const optimizers = readCases(join(ROOT, 'test', 'fixtures', 'optimizers.json'));
    const moved = readCases(join(folder, 'optimizers.json'));
    const x = moved.find((item) => item.id === 'sgd@rosenbrock')!.x as number[][];
    x[120]![1] = x[120]![1]! + 1e-6;
    assert.deepEqual(
      referenceDifferences('optimizers.json', optimizers, moved).map((line) => line.replace(/: committed .*/, '')),
      ['optimizers.json sgd@rosenbrock x.120.1'],
    );
  });
});
