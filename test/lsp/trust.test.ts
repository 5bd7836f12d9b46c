// Workspace Trust through the bundled server: untrusted, it lints, hovers and runs the built-in range-test tasks, but
// refuses tasks that load workspace files or run workspace code; trusted (or granted later), it lets them through.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { RangeTestRequest, WorkspaceTrustNotification, type RangeTestOutcome } from '../../server/src/protocol';
import { startTestServer, type TestServer } from './lspClient';

/** A `task: user` config whose files do not exist: once past the trust check, the job fails naming the model file. */
const USER_TASK =
  'optimizer:\n  type: SGD\n  lr: 0.01\n  momentum: 0.9\nrange_test:\n  task: user\n  model: missing-model.json\n  data: missing-data.csv\n  num_iter: 20\n';
/** The same with the user's own PyTorch code: it would run that code, so it needs trust too. */
const PYTORCH_TASK =
  'optimizer:\n  type: SGD\n  lr: 0.01\nrange_test:\n  task: pytorch\n  model: mymodel:build\n  data: mymodel:batches\n  num_iter: 20\n';
/** A built-in task: generated data and a built-in model, nothing read from the workspace. */
const BUILT_IN_TASK = 'optimizer:\n  type: SGD\n  lr: 0.01\nrange_test:\n  task: spiral\n  num_iter: 30\n  seed: 1\n';

const TRUST_REFUSAL = /needs a trusted workspace \(Workspace Trust\)\. Lint, hover and plots keep working\./;

async function rangeTest(server: TestServer, uri: string): Promise<RangeTestOutcome> {
  return server.connection.sendRequest(RangeTestRequest.type, { uri });
}

function reasonOf(outcome: RangeTestOutcome): string {
  return outcome.status === 'failed' ? outcome.reason : `(${outcome.status})`;
}

describe('Workspace Trust over LSP: an untrusted workspace', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ diagnosticsDelay: 0 }, {}, { workspaceTrusted: false });
  });
  after(async () => {
    await server.stop();
  });

  test('lint and hover work on a task: user config', async () => {
    const diagnostics = await server.open('file:///w/user.optim.yaml', `${USER_TASK}  bogus_key: 1\n`);
    assert.ok(diagnostics.length > 0, 'the config is linted in an untrusted workspace');
    const hover = await server.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: 'file:///w/user.optim.yaml' },
      position: { line: 1, character: 9 },
    });
    assert.ok(hover, 'hover answers in an untrusted workspace');
  });

  test('the range test refuses task: user and task: pytorch, saying that it needs trust', async () => {
    await server.change('file:///w/user.optim.yaml', 2, USER_TASK);
    const user = await rangeTest(server, 'file:///w/user.optim.yaml');
    assert.equal(user.status, 'failed');
    assert.match(reasonOf(user), TRUST_REFUSAL);
    assert.match(reasonOf(user), /files from the workspace/);
    await server.open('file:///w/pytorch.optim.yaml', PYTORCH_TASK);
    const pytorch = await rangeTest(server, 'file:///w/pytorch.optim.yaml');
    assert.match(reasonOf(pytorch), TRUST_REFUSAL);
    assert.match(reasonOf(pytorch), /runs code from this workspace/);
  });

  test('a built-in task still runs in Restricted Mode', async () => {
    await server.open('file:///w/spiral.optim.yaml', BUILT_IN_TASK);
    const outcome = await rangeTest(server, 'file:///w/spiral.optim.yaml');
    assert.equal(outcome.status, 'completed', reasonOf(outcome));
  });

  test('once trust is granted (the notification), task: user gets past the check and the job looks for its files', async () => {
    await server.connection.sendNotification(WorkspaceTrustNotification.type, { trusted: true });
    // Notifications and requests are handled in order, so the request below sees the new state.
    const outcome = await rangeTest(server, 'file:///w/user.optim.yaml');
    assert.equal(outcome.status, 'failed');
    assert.doesNotMatch(reasonOf(outcome), /trusted workspace/);
    assert.match(reasonOf(outcome), /missing-model\.json/);
  });
});

describe('Workspace Trust over LSP: trusted, and clients that do not know trust', () => {
  for (const [label, options] of [
    ['trusted', { workspaceTrusted: true }],
    ['not stated', {}],
  ] as const) {
    test(`task: user passes the trust check when the workspace is ${label}`, async () => {
      const server = await startTestServer({ diagnosticsDelay: 0 }, {}, options);
      try {
        await server.open('file:///w/user.optim.yaml', USER_TASK);
        const outcome = await rangeTest(server, 'file:///w/user.optim.yaml');
        assert.equal(outcome.status, 'failed');
        assert.doesNotMatch(reasonOf(outcome), /trusted workspace/);
        assert.match(reasonOf(outcome), /missing-model\.json/);
      } finally {
        await server.stop();
      }
    });
  }
});
