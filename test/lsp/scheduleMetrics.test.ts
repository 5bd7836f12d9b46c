// Protocol test: ReduceLROnPlateau drawn from a metric series the panel sends with the schedule request.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ScheduleRequest } from '../../server/src/protocol';
import { startTestServer, type TestServer } from './lspClient';

const PLATEAU = readFileSync(path.resolve(__dirname, '..', '..', 'examples', 'plateau.optim.yaml'), 'utf8');

describe('schedule request with metrics', () => {
  let server: TestServer;
  const uri = 'file:///w/plateau.optim.yaml';
  before(async () => {
    server = await startTestServer();
    await server.open(uri, PLATEAU);
  });
  after(async () => {
    await server.stop();
  });

  test('without metrics: no curve, but the panel is told that metrics are needed', async () => {
    const data = await server.connection.sendRequest(ScheduleRequest.type, { uri });
    assert.ok(data);
    assert.deepEqual(data.lr, []);
    assert.equal(data.needsMetrics, true);
    assert.ok(
      data.errors.some((message) => /type them in the schedule panel/.test(message)),
      data.errors.join('\n'),
    );
  });

  test('with metrics: one step per value, halved after patience (3) steps without improvement', async () => {
    // mode min, factor 0.5, patience 3: the best is 0.9 at the second value; the 4th value without improvement
    // (num_bad_epochs > patience) halves the lr for the step after it.
    const metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8];
    const data = await server.connection.sendRequest(ScheduleRequest.type, { uri, metrics });
    assert.ok(data);
    assert.deepEqual(data.metrics, metrics);
    assert.equal(data.needsMetrics, true);
    assert.deepEqual(data.lr, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05]);
    assert.ok(
      data.errors.some((message) =>
        /Drawn for the 7 metric values given \(8 steps\); the run is 40 steps/.test(message),
      ),
      data.errors.join('\n'),
    );
  });

  test('more values than the run: the curve stops at the run length', async () => {
    const data = await server.connection.sendRequest(ScheduleRequest.type, {
      uri,
      metrics: Array.from({ length: 50 }, () => 1),
    });
    assert.ok(data);
    assert.equal(data.lr.length, 40);
  });
});
