// Where the in-editor tests write their results: shared by the extension-host entry and the harnesses (no vscode here).

/** Set by the harness; code-server's extension host may not see it, so the workspace folder is the fallback. */
export const RESULTS_ENV = 'OPTLENS_EXTENSION_TEST_RESULTS';
/** The results file's name inside the first workspace folder when the environment variable does not reach the tests. */
export const RESULTS_FILE_NAME = '.optlens-extension-test-results.json';
