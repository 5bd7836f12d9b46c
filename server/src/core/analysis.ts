// The analysis of one document version: parse once, build the model, run every rule. Every feature reads this snapshot.

import { normalizeTorchVersion } from './catalog/torchVersions';
import type { Severity } from './catalog/types';
import { computeSchedule, type ScheduleFacts } from './features/scheduleFacts';
import type { ConfigModel, Dialect, Problem } from './model';
import { buildModel, detectDialect, dialectReadsYaml11, dialectRules } from './dialects/index';
import { scheduleOutcome } from './rules/scheduleRules';
import { rangeTestSection, simulateSection } from './rules/sectionRules';
import { createRuleContext, type Rule } from './rules/context';
import { nativeStructure, optimizerBlock, schedulerBlock, trainingBlock } from './rules/catalogRules';
import { optimizerTraps, runLengthChecks, schedulerVersusOptimizer, sequentialMilestones } from './rules/semanticRules';
import { duplicateKeys, syntaxErrors, yaml11Literals } from './rules/syntaxRules';
import { parseTreeSteps } from './syntax/parseSteps';
import type { SourceFormat, SyntaxTree } from './syntax/tree';

/** A comment that turns analysis off for the whole file. */
const FILE_OFF = /(?:#|\/\/)\s*optlens-disable-file\b/;

/** Whether `# optlens-disable-file` near the top turns Optimizer Lens off for this file (the CLI says so). */
export function isTurnedOffForFile(text: string): boolean {
  return FILE_OFF.test(text.slice(0, 4096));
}

/** Files larger than this are not analysed by default (characters). */
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

export interface AnalysisOptions {
  readonly format: SourceFormat;
  /**
   * The dialect to analyse the file as. 'auto' detects it from the file name and content; then a file that is not
   * an optimizer config at all gets no model and no problems. Defaults to the native format.
   */
  readonly dialect?: Dialect | 'auto';
  /** The file's name or URI, for dialect detection by name. */
  readonly fileName?: string;
  /** Per-code severity overrides from settings; 'off' silences a code. */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
  readonly maxFileSize?: number;
  /** The PyTorch release to check keywords against (`optimizerLens.torchVersion`); defaults to the newest known. */
  readonly torchVersion?: string;
}

export interface Analysis {
  readonly tree: SyntaxTree;
  readonly model: ConfigModel | null;
  readonly problems: readonly Problem[];
  /** The schedule evaluated for linting, hover and code lenses (at most LINT_SCHEDULE_STEPS steps). */
  readonly schedule: ScheduleFacts | undefined;
}

/** Linting evaluates at most this many steps, so that a million-step run keeps typing fast. */
export const LINT_SCHEDULE_STEPS = 200_000;

/** Rules of the native format's own layout. */
const NATIVE_LAYOUT_RULES: readonly Rule[] = [nativeStructure];

/** Rules shared by every dialect, in reporting order. Adding a rule means adding it here and its code to catalog/rules.ts. */
const SHARED_RULES: readonly Rule[] = [
  syntaxErrors,
  duplicateKeys,
  yaml11Literals,
  optimizerBlock,
  schedulerBlock,
  trainingBlock,
  sequentialMilestones,
  runLengthChecks,
  schedulerVersusOptimizer,
  optimizerTraps,
  scheduleOutcome,
  simulateSection,
  rangeTestSection,
];

/** The analysis of `text`, computed at once (the CLI, tests, small documents). */
export function analyze(text: string, options: AnalysisOptions): Analysis {
  const steps = analysisSteps(text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same analysis as a generator that pauses (`yield`) between phases, between rules and every few hundred tokens
 * of the YAML parse. A caller runs it in slices (the language server, between other requests) and abandons it by
 * simply not resuming it, e.g. when a newer version of the document arrives. Pure: no timers.
 * `treeSteps`: the syntax tree of `text` read elsewhere (the server's analysis worker), rebuilt in slices; when absent
 * the text is parsed here. `checked`: the problems an analysis of the same text and options found elsewhere (that
 * worker ran the rules already): they are taken as they are, and only the tree, the model and the schedule are built.
 */
export function* analysisSteps(
  text: string,
  options: AnalysisOptions,
  treeSteps?: Generator<void, SyntaxTree, void>,
  checked?: readonly Problem[],
): Generator<void, Analysis, void> {
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > limit) {
    const tree: SyntaxTree = { format: options.format, text, root: null, errors: [], suppressions: new Map() };
    const problem: Problem = {
      code: 'OL002',
      severity: 'warning',
      message: `The file has ${text.length} characters, more than the analysis limit of ${limit} (setting optimizerLens.maxFileSize); it is not analysed.`,
      start: 0,
      end: Math.min(text.length, firstLineEnd(text)),
    };
    return { tree, model: null, problems: applySettings([problem], tree, options), schedule: undefined };
  }
  if (isTurnedOffForFile(text)) {
    // `# optlens-disable-file` near the top: the user turned Optimizer Lens off for this file.
    const tree: SyntaxTree = { format: options.format, text, root: null, errors: [], suppressions: new Map() };
    return { tree, model: null, problems: [], schedule: undefined };
  }
  const tree = yield* treeSteps ?? parseTreeSteps(text, options.format);
  const dialect =
    options.dialect === 'auto' ? detectDialect(tree, options.fileName ?? '') : (options.dialect ?? 'optim');
  if (dialect === null) return { tree, model: null, problems: [], schedule: undefined };
  yield;
  const model = buildModel(tree, dialect);
  const problems: Problem[] = [];
  yield;
  const schedule = evaluateForLint(model, problems);
  if (checked) return { tree, model, problems: checked, schedule };
  const context = createRuleContext(model, schedule, problems, normalizeTorchVersion(options.torchVersion));
  // OmegaConf (Hydra) and jsonargparse (Lightning CLI) read `2e-5` as a float, so the PyYAML trap does not apply to them.
  const shared = dialectReadsYaml11(dialect, model)
    ? SHARED_RULES
    : SHARED_RULES.filter((rule) => rule !== yaml11Literals);
  const rules = [...shared, ...(dialect === 'optim' ? NATIVE_LAYOUT_RULES : []), ...dialectRules(dialect)];
  for (const rule of rules) {
    yield;
    try {
      rule(context);
    } catch (error) {
      // A rule bug must not take the other rules (or the server) down; it shows up as a problem to report.
      problems.push(internalErrorProblem('a lint rule', error));
    }
  }
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  return { tree, model, problems: applySettings(problems, tree, options), schedule };
}

function evaluateForLint(model: ConfigModel, problems: Problem[]): ScheduleFacts | undefined {
  try {
    const run = model.training?.totalSteps;
    return computeSchedule(model, run !== undefined && run > LINT_SCHEDULE_STEPS ? { steps: LINT_SCHEDULE_STEPS } : {});
  } catch (error) {
    problems.push(internalErrorProblem('the schedule engine', error));
    return undefined;
  }
}

/** An OL000 problem at the start of the file for a bug in `where`, so an internal failure is reported, not thrown. */
function internalErrorProblem(where: string, error: unknown): Problem {
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'OL000', severity: 'error', message: `Internal error in ${where}: ${message}`, start: 0, end: 0 };
}

function firstLineEnd(text: string): number {
  const newline = text.indexOf('\n');
  return newline < 0 ? text.length : newline;
}

/** Severity overrides and suppression comments, applied after all rules so every consumer (LSP, CLI) agrees. */
function applySettings(problems: readonly Problem[], tree: SyntaxTree, options: AnalysisOptions): Problem[] {
  const lineStarts = tree.suppressions.size > 0 ? computeLineStarts(tree.text) : [];
  const out: Problem[] = [];
  for (const problem of problems) {
    const override = options.severities?.[problem.code];
    if (override === 'off') continue;
    if (lineStarts.length > 0) {
      const line = lineOf(lineStarts, problem.start);
      const silenced = tree.suppressions.get(line);
      if (silenced === 'all' || silenced?.has(problem.code)) continue;
    }
    out.push(override ? { ...problem, severity: override } : problem);
  }
  return out;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
