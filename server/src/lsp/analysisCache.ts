// Analyses each open document once per version, in slices for the diagnostics; every handler reads a finished snapshot.

import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analysisSteps,
  analyze,
  DEFAULT_MAX_FILE_SIZE,
  isTurnedOffForFile,
  type Analysis,
  type AnalysisOptions,
} from '../core/analysis';
import { decodeTreeSteps } from '../core/syntax/treeCodec';
import type { SourceFormat, SyntaxTree } from '../core/syntax/tree';
import { AnalysisWorkerHost, type AnalysisJob } from './analysisHost';
import type { ServerSettings } from './settings';

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { NATIVE_FILE_NAME } from '../core/dialects/index';
import type { Dialect, Problem } from '../core/model';

export function isNativeConfig(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'optim' || NATIVE_FILE_NAME.test(document.uri);
}

export function formatOf(document: Pick<TextDocument, 'uri' | 'languageId'>): SourceFormat {
  return /\.jsonc?$/i.test(document.uri) || document.languageId === 'json' || document.languageId === 'jsonc'
    ? 'json'
    : 'yaml';
}

function documentPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri.replace(/^[a-z-]+:\/*/i, '/'));
  } catch {
    return uri;
  }
}

function matches(file: string, glob: string): boolean {
  return minimatch(file, glob, { dot: true, matchBase: !glob.includes('/') });
}

/** How a document is analysed: excluded, associated by glob, native by name or language, or detected by content. */
export function chooseDialect(
  document: Pick<TextDocument, 'uri' | 'languageId'>,
  settings: ServerSettings,
): Dialect | 'auto' | null {
  const file = documentPath(document.uri);
  if (settings.exclude.some((glob) => matches(file, glob))) return null;
  for (const [glob, dialect] of Object.entries(settings.associations)) if (matches(file, glob)) return dialect;
  if (isNativeConfig(document)) return 'optim';
  return settings.detectDialects ? 'auto' : null;
}

/** Documents up to this many characters are analysed at once when a request needs them (a few milliseconds). */
export const SYNC_ANALYSIS_LIMIT = 32_000;
/** How long one slice of a cooperative analysis may run before the server reads its messages again. */
export const SLICE_MS = 4;
/**
 * YAML documents from this many characters are analysed in the analysis worker: `yaml`'s composition of the document
 * and the conversion to our tree cannot pause (about 30 ms at 0.2 MB, 0.4 s at 2 MB), so they run off the server's
 * thread. The worker's problems are published as soon as they come; the server's thread then only rebuilds the tree
 * from flat arrays, the model and the schedule, in slices, for the requests.
 */
export const OFF_THREAD_ANALYSIS_MIN = 100_000;

/** One version to analyse: its text taken when the analysis starts (the open document object is updated in place). */
interface Plan {
  readonly text: string;
  readonly options: AnalysisOptions;
}

/** A finished analysis of one version, with that version's text (the open document moves on as the user types). */
interface Finished {
  readonly version: number;
  readonly analysis: Analysis | null;
  readonly uri: string;
  readonly languageId: string;
  readonly text: string;
  /** The version's own document, made on first use (positions of a one-version-old analysis). */
  snapshot?: TextDocument;
  /** What `analyzeInSlices` answers for this version: always the same promise, so callers can tell a repeat. */
  settled?: Promise<Analysis | null | undefined>;
}

/** An analysis running in slices. `superseded` turns true when a newer version, a close or new settings replace it. */
interface Running {
  readonly version: number;
  readonly done: Promise<Analysis | null | undefined>;
  superseded: boolean;
  /** Stops the analysis worker's work on this version, if it has any. */
  readonly cancel?: () => void;
}

export class AnalysisCache {
  private readonly finished = new Map<string, Finished>();
  private readonly running = new Map<string, Running>();
  private readonly worker: AnalysisWorkerHost;

  /** `analysisWorkerScript`: the analysis worker beside the bundled server; without it every analysis runs here, in slices. */
  constructor(
    private readonly settings: () => ServerSettings,
    analysisWorkerScript = path.join(__dirname, 'analysisWorker.js'),
  ) {
    this.worker = new AnalysisWorkerHost(analysisWorkerScript);
  }

  /** The analysis of this version of the document, computed now if needed; null when it is not an optimizer config. */
  get(document: TextDocument): Analysis | null {
    const cached = this.finished.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    this.supersede(document.uri, document.version);
    const plan = this.plan(document);
    const analysis = plan ? this.accept(document, analyze(plan.text, plan.options)) : null;
    this.store(document, analysis);
    return analysis;
  }

  /**
   * What a request (hover, completion, code actions, ...) reads, without waiting behind an analysis: this version's
   * analysis when it is finished; else, for a small document, the analysis computed now; else the last finished
   * analysis (one or more versions old) with that version's document, so positions convert against its own text.
   */
  forRequest(document: TextDocument): { document: TextDocument; analysis: Analysis } | null {
    const cached = this.finished.get(document.uri);
    const current = cached?.version === document.version;
    if (cached && (current || document.getText().length > SYNC_ANALYSIS_LIMIT)) {
      if (!cached.analysis) return null;
      if (current) return { document, analysis: cached.analysis };
      cached.snapshot ??= TextDocument.create(cached.uri, cached.languageId, cached.version, cached.text);
      return { document: cached.snapshot, analysis: cached.analysis };
    }
    const analysis = this.get(document);
    return analysis ? { document, analysis } : null;
  }

  /**
   * What a request about a large document with no finished analysis (just opened) waits for: the analysis running for
   * it. Undefined when there is a finished one to read, nothing is running, or the document is small enough to be
   * analysed at once.
   */
  firstAnalysis(document: TextDocument): Promise<unknown> | undefined {
    if (this.finished.has(document.uri) || document.getText().length <= SYNC_ANALYSIS_LIMIT) return undefined;
    return this.running.get(document.uri)?.done.catch(() => undefined);
  }

  /**
   * Analyses this version in slices of about SLICE_MS, letting the event loop read messages in between. Resolves with
   * the analysis (null: not an optimizer config), or undefined when the work was abandoned: a newer version started,
   * `isCurrent` turned false (the document moved on), the document was closed or the settings changed.
   * A second call for the version already running joins it.
   * `onChecked`: called with this version's problems (null: not an optimizer config) when the analysis worker knows
   * them, before the tree is rebuilt here; only for large YAML documents, only while the version is current, and only
   * when an earlier version's analysis is finished (the requests read that one meanwhile).
   */
  analyzeInSlices(
    document: TextDocument,
    isCurrent: () => boolean,
    onChecked?: (problems: readonly Problem[] | null) => void,
  ): Promise<Analysis | null | undefined> {
    const cached = this.finished.get(document.uri);
    if (cached && cached.version === document.version) return (cached.settled ??= Promise.resolve(cached.analysis));
    const already = this.running.get(document.uri);
    if (already && already.version === document.version && !already.superseded) return already.done;
    this.supersede(document.uri, document.version);
    const plan = this.plan(document);
    if (!plan) {
      this.store(document, null);
      return this.analyzeInSlices(document, isCurrent);
    }
    // The text is taken now: the open document object is updated in place by later edits.
    const version = { uri: document.uri, languageId: document.languageId, version: document.version, text: plan.text };
    // A large YAML text is analysed in the worker meanwhile; the slices start when its tree arrives.
    const job = this.analyzeOffThread(plan);
    let steps: Generator<void, Analysis, void> | undefined = job ? undefined : analysisSteps(plan.text, plan.options);
    let resolve: (analysis: Analysis | null | undefined) => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const done = new Promise<Analysis | null | undefined>((settle, fail) => {
      resolve = settle;
      reject = fail;
    });
    const run: Running = {
      version: document.version,
      done,
      superseded: false,
      ...(job ? { cancel: job.cancel } : {}),
    };
    this.running.set(document.uri, run);
    const stop = (): void => {
      if (this.running.get(version.uri) === run) this.running.delete(version.uri);
    };
    const slice = (): void => {
      if (run.superseded || !isCurrent()) {
        stop();
        resolve(undefined);
        return;
      }
      const meanwhile = this.finished.get(version.uri);
      if (meanwhile?.version === version.version) {
        // A request analysed this version at once (a small document): use that.
        stop();
        resolve(meanwhile.analysis);
        return;
      }
      if (!steps) return;
      try {
        const deadline = performance.now() + SLICE_MS;
        for (;;) {
          const step = steps.next();
          if (step.done) {
            const analysis = this.accept(version, step.value);
            stop();
            this.storeVersion(version, analysis, done);
            resolve(analysis);
            return;
          }
          if (performance.now() >= deadline) break;
        }
      } catch (error) {
        // analyze never throws on user input; a bug must still settle the promise (the publisher logs it).
        stop();
        reject(error);
        return;
      }
      setImmediate(slice);
    };
    if (job) {
      const start = (tree?: Generator<void, SyntaxTree, void>, checked?: readonly Problem[]): void => {
        steps = analysisSteps(plan.text, plan.options, tree, checked);
        slice();
      };
      job.checked.then(
        (checked) => {
          // Only when requests have an earlier version's finished analysis to read meanwhile: after a document's first
          // diagnostics a client asks for hovers and lenses at once, and they would wait for the rebuild here.
          if (!checked || run.superseded || !isCurrent() || !this.finished.has(version.uri)) return;
          onChecked?.(checked.hasModel || isNativeConfig(version) ? checked.problems : null);
        },
        () => undefined,
      );
      // The rules ran in the worker: here only the tree, the model and the schedule are built, for the requests.
      // A failed worker costs nothing but time: this version is then analysed here, in slices.
      Promise.all([job.checked, job.tree]).then(
        ([checked, encoded]) =>
          checked && encoded ? start(decodeTreeSteps(encoded, plan.text), checked.problems) : start(),
        () => start(),
      );
    } else slice();
    return done;
  }

  forget(uri: string): void {
    this.supersede(uri, Number.POSITIVE_INFINITY);
    this.finished.delete(uri);
  }

  /** Settings changed: every analysis must be redone. */
  clear(): void {
    for (const run of this.running.values()) {
      run.superseded = true;
      run.cancel?.();
    }
    this.running.clear();
    this.finished.clear();
  }

  /** Abandons a running analysis of an older version than `version`. */
  private supersede(uri: string, version: number): void {
    const run = this.running.get(uri);
    if (run && run.version < version) {
      run.superseded = true;
      run.cancel?.();
      this.running.delete(uri);
    }
  }

  /** What analysing this version of the document means, or null when it is not analysed at all (excluded, no dialect). */
  private plan(document: TextDocument): Plan | null {
    const settings = this.settings();
    const dialect = chooseDialect(document, settings);
    if (dialect === null) return null;
    return {
      text: document.getText(),
      options: {
        format: formatOf(document),
        dialect,
        fileName: document.uri,
        severities: settings.severity,
        maxFileSize: settings.maxFileSize,
        torchVersion: settings.torchVersion,
      },
    };
  }

  /** The analysis of a large YAML text sent to the worker, or undefined when it runs here (small, JSON, not analysed). */
  private analyzeOffThread(plan: Plan): AnalysisJob | undefined {
    const { text, options } = plan;
    if (options.format !== 'yaml' || text.length < OFF_THREAD_ANALYSIS_MIN || !this.worker.available) return undefined;
    if (text.length > (options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE) || isTurnedOffForFile(text)) return undefined;
    try {
      return this.worker.analyze(text, options);
    } catch {
      return undefined;
    }
  }

  /** A YAML or JSON file that no dialect recognises is not an optimizer config: no analysis, no diagnostics. */
  private accept(document: Pick<TextDocument, 'uri' | 'languageId'>, result: Analysis): Analysis | null {
    return result.model || isNativeConfig(document) ? result : null;
  }

  private store(document: TextDocument, analysis: Analysis | null): void {
    this.storeVersion(
      { uri: document.uri, languageId: document.languageId, version: document.version, text: document.getText() },
      analysis,
    );
  }

  private storeVersion(
    version: Omit<Finished, 'analysis' | 'snapshot' | 'settled'>,
    analysis: Analysis | null,
    settled?: Finished['settled'],
  ): void {
    const previous = this.finished.get(version.uri);
    // A slower, older analysis never replaces a newer one.
    if (previous && previous.version > version.version) return;
    this.finished.set(version.uri, { ...version, analysis, ...(settled ? { settled } : {}) });
  }
}
