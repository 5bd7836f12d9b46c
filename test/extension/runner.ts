// A tiny mocha-style runner (suite, test, before, after) for test modules that run inside the VS Code extension host.

export type TestBody = () => void | Promise<void>;

export interface TestOptions {
  /** The test fails when its body has not settled after this many milliseconds. */
  readonly timeoutMs?: number;
}

/** What a suite module receives: define suites and tests with it, mocha's TDD names without globals. */
export interface TestApi {
  suite(name: string, define: () => void): void;
  test(name: string, body: TestBody, options?: TestOptions): void;
  /** Runs once before the first test of the enclosing suite; when it fails, every test of that suite fails with its error. */
  before(body: TestBody): void;
  /** Runs once after the last test of the enclosing suite, whatever happened; a failure is reported as its own result. */
  after(body: TestBody): void;
}

/** A suite module is a function, so that defining tests needs no module-level state. */
export type SuiteModule = (api: TestApi) => void;

export interface TestOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly durationMs: number;
}

export interface TestReport {
  readonly passed: number;
  readonly failed: number;
  readonly tests: TestOutcome[];
}

interface TestCase {
  readonly name: string;
  readonly body: TestBody;
  readonly timeoutMs: number | undefined;
}

interface SuiteNode {
  readonly name: string;
  readonly tests: TestCase[];
  readonly before: TestBody[];
  readonly after: TestBody[];
  readonly children: SuiteNode[];
}

function newSuite(name: string): SuiteNode {
  return { name, tests: [], before: [], after: [], children: [] };
}

/** Calls every module with an API that records into a tree; the current suite is a stack local to this call. */
function collect(modules: readonly SuiteModule[]): SuiteNode {
  const root = newSuite('');
  const stack: SuiteNode[] = [root];
  const current = (): SuiteNode => stack[stack.length - 1]!;
  const api: TestApi = {
    suite(name, define) {
      const child = newSuite(name);
      current().children.push(child);
      stack.push(child);
      try {
        define();
      } finally {
        stack.pop();
      }
    },
    test(name, body, options) {
      current().tests.push({ name, body, timeoutMs: options?.timeoutMs });
    },
    before(body) {
      current().before.push(body);
    },
    after(body) {
      current().after.push(body);
    },
  };
  for (const define of modules) define(api);
  return root;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Settles with the body's outcome, or rejects once the timeout passes; the timer is cleared either way. */
async function runWithTimeout(body: TestBody, timeoutMs: number, label: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(body), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function allTests(suite: SuiteNode, prefix: string): string[] {
  const name = joinName(prefix, suite.name);
  return [...suite.tests.map((test) => joinName(name, test.name)), ...suite.children.flatMap((child) => allTests(child, name))];
}

function joinName(prefix: string, name: string): string {
  return prefix && name ? `${prefix} > ${name}` : prefix || name;
}

/** Runs the suites in definition order, one test at a time, and never throws: failures are outcomes. */
export async function runSuites(modules: readonly SuiteModule[], options: { defaultTimeoutMs: number; onOutcome?: (outcome: TestOutcome) => void }): Promise<TestReport> {
  const outcomes: TestOutcome[] = [];
  const record = (outcome: TestOutcome): void => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };
  const runSuite = async (suite: SuiteNode, prefix: string): Promise<void> => {
    const name = joinName(prefix, suite.name);
    let setupError: string | undefined;
    for (const hook of suite.before) {
      try {
        await runWithTimeout(hook, options.defaultTimeoutMs, `before hook of "${name}"`);
      } catch (error) {
        setupError = describeError(error);
        break;
      }
    }
    if (setupError !== undefined) {
      for (const testName of allTests(suite, prefix)) record({ name: testName, ok: false, error: `before hook failed: ${setupError}`, durationMs: 0 });
    } else {
      for (const test of suite.tests) {
        const testName = joinName(name, test.name);
        const started = Date.now();
        try {
          await runWithTimeout(test.body, test.timeoutMs ?? options.defaultTimeoutMs, `test "${testName}"`);
          record({ name: testName, ok: true, durationMs: Date.now() - started });
        } catch (error) {
          record({ name: testName, ok: false, error: describeError(error), durationMs: Date.now() - started });
        }
      }
      for (const child of suite.children) await runSuite(child, name);
    }
    for (const hook of suite.after) {
      try {
        await runWithTimeout(hook, options.defaultTimeoutMs, `after hook of "${name}"`);
      } catch (error) {
        record({ name: joinName(name, '(after hook)'), ok: false, error: describeError(error), durationMs: 0 });
      }
    }
  };
  await runSuite(collect(modules), '');
  const passed = outcomes.filter((outcome) => outcome.ok).length;
  return { passed, failed: outcomes.length - passed, tests: outcomes };
}
