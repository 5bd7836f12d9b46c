// Reads and checks the `range_test:` section against its catalog entry; defaults come from the catalog.

import { RANGE_TEST_SECTION } from '../catalog/rangeTestSection';
import type { ParamSpec } from '../catalog/types';
import { checkParamValue } from '../rules/values';
import { entryPointProblem } from './entryPoint';
import {
  BUILT_IN_LOSSES,
  type RangeTestIssue,
  type RangeTestParams,
  type RangeTestStepMode,
  type RangeTestTaskName,
} from './types';

const SECTION_KEY = 'range_test';

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : String(value);
}

function specDefault<T>(name: string): T {
  return RANGE_TEST_SECTION.params.find((param) => param.name === name)?.default as T;
}

/**
 * Checks one value against its catalog spec with the same checker as every other section (type, range, enum);
 * returns the value when it is usable, undefined otherwise.
 */
function checkValue(spec: ParamSpec, value: unknown, issues: RangeTestIssue[]): unknown {
  const before = issues.length;
  const collect = {
    report: (_code: string, _span: unknown, message: string) =>
      void issues.push({ path: [SECTION_KEY, spec.name], message, severity: 'error' }),
  };
  checkParamValue(collect, spec, value, null, { start: 0, end: 0 }, '`range_test:`');
  return issues.length === before ? value : undefined;
}

/**
 * The range-test parameters of a `range_test:` section given as a plain value (`toPlain` of its node; null or
 * undefined for an empty or absent section). Every problem becomes an issue with its path; a bad value falls
 * back to the catalog default so the rest can still be checked. `params` is null only when the section cannot
 * be run (an error-severity issue).
 */
export function parseRangeTestSection(section: unknown): { params: RangeTestParams | null; issues: RangeTestIssue[] } {
  const issues: RangeTestIssue[] = [];
  const given: Record<string, unknown> = {};
  if (section !== null && section !== undefined) {
    if (typeof section !== 'object' || Array.isArray(section)) {
      issues.push({
        path: [SECTION_KEY],
        message: `\`range_test\` must be a mapping of settings, got ${describe(section)}.`,
        severity: 'error',
      });
      return { params: null, issues };
    }
    for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
      const spec = RANGE_TEST_SECTION.params.find((param) => param.name === key);
      if (!spec) {
        const known = RANGE_TEST_SECTION.params.map((param) => param.name).join(', ');
        issues.push({
          path: [SECTION_KEY, key],
          message: `Unknown range_test setting \`${key}\`; the settings are ${known}.`,
          severity: 'warning',
        });
        continue;
      }
      const checked = checkValue(spec, value, issues);
      if (checked !== undefined) given[key] = checked;
    }
  }
  const pick = <T>(name: string): T => (given[name] !== undefined ? given[name] : specDefault<T>(name)) as T;
  const model = given['model'] as string | undefined;
  const data = given['data'] as string | undefined;
  const loss = given['loss'] as string | undefined;
  const params: RangeTestParams = {
    task: pick<RangeTestTaskName>('task'),
    startLr: pick<number>('start_lr'),
    endLr: pick<number>('end_lr'),
    numIter: pick<number>('num_iter'),
    stepMode: pick<RangeTestStepMode>('step_mode'),
    smooth: pick<number>('smooth'),
    divergeThreshold: pick<number>('diverge_threshold'),
    batchSize: pick<number>('batch_size'),
    seed: pick<number>('seed'),
    device: pick<string>('device'),
    ...(model !== undefined ? { model } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(loss !== undefined ? { loss } : {}),
  };
  issues.push(...rangeTestParamsIssues(params, given));
  return { params: issues.some((issue) => issue.severity === 'error') ? null : params, issues };
}

/**
 * The cross-field checks of a complete set of range-test parameters: the ramp goes up, each task has what it needs
 * and nothing it ignores. `given` holds the keys the user wrote (to blame the right one); the same checks run on
 * settings that come from the command (a quick pick, CLI flags) instead of a section.
 */
export function rangeTestParamsIssues(
  params: RangeTestParams,
  given: Readonly<Record<string, unknown>>,
): RangeTestIssue[] {
  const issues: RangeTestIssue[] = [];
  if (params.endLr <= params.startLr) {
    issues.push({
      path: [SECTION_KEY, given['end_lr'] !== undefined ? 'end_lr' : 'start_lr'],
      message: `\`end_lr\` (${params.endLr}) must be above \`start_lr\` (${params.startLr}): the test ramps the lr up.`,
      severity: 'error',
    });
  }
  if (params.task === 'pytorch') {
    for (const key of ['model', 'data'] as const) {
      const value = params[key];
      if (value === undefined) {
        const what =
          key === 'model' ? 'returning a `torch.nn.Module`' : 'returning an iterable of batches (e.g. a DataLoader)';
        issues.push({
          path: [SECTION_KEY, given['task'] !== undefined ? 'task' : key],
          message: `Task \`pytorch\` needs \`${key}:\`, a Python entry point \`module:callable\` ${what}.`,
          severity: 'error',
        });
        continue;
      }
      const problem = entryPointProblem(value);
      if (problem) issues.push({ path: [SECTION_KEY, key], message: `\`${key}\` ${problem}`, severity: 'error' });
    }
    if (params.loss !== undefined && !(BUILT_IN_LOSSES as readonly string[]).includes(params.loss)) {
      const problem = entryPointProblem(params.loss);
      if (problem) {
        issues.push({
          path: [SECTION_KEY, 'loss'],
          message: `\`loss\` must be ${BUILT_IN_LOSSES.map((name) => `\`${name}\``).join(', ')} or a Python entry point \`module:callable\`; \`${params.loss}\` ${problem}`,
          severity: 'error',
        });
      }
    }
    const device = params.device.trim();
    if (device !== 'auto' && !/^(cpu|cuda|mps|xpu|hpu|npu|meta)(:\d+)?$/.test(device)) {
      issues.push({
        path: [SECTION_KEY, 'device'],
        message: `\`device\` must be \`auto\` or a torch device such as \`cpu\`, \`cuda\`, \`cuda:1\` or \`mps\` (got \`${device}\`).`,
        severity: 'error',
      });
    }
    if (given['batch_size'] !== undefined) {
      issues.push({
        path: [SECTION_KEY, 'batch_size'],
        message: '`batch_size` is not read by task `pytorch`: the batches come from your data loader.',
        severity: 'warning',
      });
    }
  } else if (params.task === 'user') {
    for (const key of ['model', 'data'] as const) {
      if (params[key] === undefined && given[key] === undefined) {
        const what =
          key === 'model' ? 'a TensorFlow.js Layers model.json' : 'a CSV of features with the label in the last column';
        issues.push({
          path: [SECTION_KEY, 'task'],
          message: `Task \`user\` needs \`${key}:\`, the workspace path of ${what}.`,
          severity: 'error',
        });
      }
    }
  } else {
    for (const key of ['model', 'data'] as const) {
      if (given[key] !== undefined) {
        issues.push({
          path: [SECTION_KEY, key],
          message: `\`${key}\` is only read by \`task: pytorch\` (and \`task: user\`); task \`${params.task}\` ignores it.`,
          severity: 'warning',
        });
      }
    }
  }
  if (params.task !== 'pytorch') {
    for (const key of ['loss', 'device'] as const) {
      if (given[key] !== undefined)
        issues.push({
          path: [SECTION_KEY, key],
          message: `\`${key}\` is only read by \`task: pytorch\`; task \`${params.task}\` ignores it.`,
          severity: 'warning',
        });
    }
  }
  return issues;
}
