// Runs the test modules that live inside the VS Code extension host under mocha, as @vscode/test-electron expects.
// A suite module stays a function that receives suite/test/before/after (mocha's TDD names without globals), and
// this file turns what it defines into mocha suites, tests and hooks.

import Mocha from 'mocha';

export type TestBody = () => void | Promise<void>;

export interface TestOptions {
  /** The test fails when its body has not settled after this many milliseconds. */
  readonly timeoutMs?: number;
}

/** What a suite module receives: define suites and tests with it. */
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
  /** How many tests the suites define, counted by mocha before the run: every one must pass. */
  readonly defined: number;
  readonly tests: TestOutcome[];
}

/**
 * Builds a mocha instance whose root suite holds what the modules define; the current suite is a stack local to this
 * call. `reporter` is a mocha reporter name; the default, `base`, prints nothing (the outcomes are returned).
 */
export function mochaFor(
  modules: readonly SuiteModule[],
  options: { defaultTimeoutMs: number; reporter?: string },
): Mocha {
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: options.defaultTimeoutMs,
    color: false,
    reporter: options.reporter ?? 'base',
  });
  const stack: Mocha.Suite[] = [mocha.suite];
  const current = (): Mocha.Suite => stack[stack.length - 1]!;
  const api: TestApi = {
    suite(name, define) {
      const child = Mocha.Suite.create(current(), name);
      stack.push(child);
      try {
        define();
      } finally {
        stack.pop();
      }
    },
    test(name, body, testOptions) {
      // A function of no arguments: mocha waits for the returned promise instead of a `done` callback.
      const test = new Mocha.Test(name, () => body());
      // After addTest, which gives the test its suite's timeout.
      current().addTest(test);
      if (testOptions?.timeoutMs !== undefined) test.timeout(testOptions.timeoutMs);
    },
    before(body) {
      current().beforeAll(() => body());
    },
    after(body) {
      current().afterAll(() => body());
    },
  };
  for (const define of modules) define(api);
  return mocha;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

const nameOf = (titles: readonly string[]): string => titles.filter(Boolean).join(' > ');

function allTests(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

/**
 * Runs the suites under mocha and never rejects: failures are outcomes. Mocha skips the tests of a suite whose
 * `before` hook failed; each of them is reported as failed with the hook's error, so every defined test has a result.
 */
export function runSuites(
  modules: readonly SuiteModule[],
  options: { defaultTimeoutMs: number; reporter?: string; onOutcome?: (outcome: TestOutcome) => void },
): Promise<TestReport> {
  const mocha = mochaFor(modules, options);
  const defined = mocha.suite.total();
  const outcomes: TestOutcome[] = [];
  const record = (outcome: TestOutcome): void => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };
  const beforeFailures = new Map<Mocha.Suite, string>();
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      for (const [suite, error] of beforeFailures) {
        for (const test of allTests(suite)) {
          if (test.state === undefined)
            record({ name: nameOf(test.titlePath()), ok: false, error: `before hook failed: ${error}`, durationMs: 0 });
        }
      }
      const passed = outcomes.filter((outcome) => outcome.ok).length;
      resolve({ passed, failed: outcomes.length - passed, defined, tests: outcomes });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => {
      record({ name: nameOf(test.titlePath()), ok: true, durationMs: test.duration ?? 0 });
    });
    // Typed as a test, but mocha reports failed hooks through this event too.
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (runnable: Mocha.Runnable, error) => {
      const parent = runnable.parent;
      if (runnable instanceof Mocha.Hook && parent) {
        if (/^"before all" hook/.test(runnable.title)) beforeFailures.set(parent, describeError(error));
        else
          record({
            name: nameOf([...parent.titlePath(), '(after hook)']),
            ok: false,
            error: describeError(error),
            durationMs: runnable.duration ?? 0,
          });
        return;
      }
      record({
        name: nameOf(runnable.titlePath()),
        ok: false,
        error: describeError(error),
        durationMs: runnable.duration ?? 0,
      });
    });
  });
}
