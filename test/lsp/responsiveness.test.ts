// Protocol tests of responsiveness (issue 15): the newest version wins, and requests never wait behind an analysis.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { AnalysisChangedNotification, ApplyLearningRateRequest, ScheduleRequest } from '../../server/src/protocol';
import { compareListConfig } from '../largeConfig';
import { startTestServer, type TestServer } from './lspClient';

/** About 165 KB: far above the size analysed at once for a request, and hundreds of milliseconds of analysis. */
const LARGE = compareListConfig({ entries: 3000 });

describe('responsiveness of the language server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ diagnosticsDelay: 0 });
  });
  after(async () => {
    await server.stop();
  });

  /** Resolves when the server says the analysis of `version` is finished (requests can read it). */
  const analysed = (uri: string, version: number): Promise<void> =>
    new Promise<void>((resolve) =>
      server.connection.onNotification(AnalysisChangedNotification.type, (params) => {
        if (params.uri === uri && params.version === version) resolve();
      }),
    );

  /** Opens a document and waits until its first analysis is finished (requests can read it). */
  const openAnalysed = async (uri: string, text: string): Promise<void> => {
    const finished = analysed(uri, 1);
    await server.open(uri, text);
    await finished;
  };

  /**
   * Opens a small file, then sends the open of a large one without waiting: `finished` settles when the large file's
   * first analysis is finished.
   */
  const openLargeBesideSmall = async (name: string) => {
    const uri = `file:///responsive/${name}.optim.yaml`;
    const small = `file:///responsive/${name}-small.optim.yaml`;
    await server.open(small, 'optimizer:\n  type: SGD\n  lr: 0.1\n');
    const finished = analysed(uri, 1);
    void server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'optim', version: 1, text: LARGE },
    });
    return { uri, small, finished };
  };

  test('requests about a large file just opened wait for its first analysis without holding the server', async () => {
    const { uri, small, finished } = await openLargeBesideSmall('first');
    const order: string[] = [];
    const hover = (target: string, name: string) =>
      server.connection
        .sendRequest(HoverRequest.type, { textDocument: { uri: target }, position: { line: 1, character: 9 } })
        .then((result) => {
          order.push(name);
          return result;
        });
    // The large file's hover waits for its analysis; the small file's, sent after it, does not wait behind it.
    const [large] = await Promise.all([hover(uri, 'large'), hover(small, 'small'), finished]);
    assert.deepEqual(order, ['small', 'large']);
    assert.match(JSON.stringify(large?.contents), /AdamW/, 'the large file is answered from its own analysis');
  });

  test('custom requests about a large file just opened (the schedule panel) wait for its first analysis too', async () => {
    const { uri, small, finished } = await openLargeBesideSmall('first-schedule');
    const order: string[] = [];
    const schedule = (target: string, name: string) =>
      server.connection.sendRequest(ScheduleRequest.type, { uri: target }).then((result) => {
        order.push(name);
        return result;
      });
    // Before the fix the large file's request analysed it all at once on the server's thread, ahead of the small one.
    const [large] = await Promise.all([schedule(uri, 'large'), schedule(small, 'small'), finished]);
    assert.deepEqual(order, ['small', 'large']);
    assert.ok(large && large.lr.length > 0, 'the large file is answered from its own analysis');
  });

  test('a burst of edits to a large file publishes diagnostics for the last version only, and an open publishes once', async () => {
    // A server of its own: the handler below replaces the client's own diagnostics waiters.
    const burst = await startTestServer({ diagnosticsDelay: 0 });
    try {
      const uri = 'file:///responsive/burst.optim.yaml';
      assert.deepEqual(await burst.open(uri, LARGE), []);
      // Every publish for this URI from now on, in order.
      const publishes: PublishDiagnosticsParams[] = [];
      const last = 10;
      const final = new Promise<void>((resolve) => {
        burst.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
          if (params.uri !== uri) return;
          publishes.push(params);
          if (params.version === last) resolve();
        });
      });
      // Eight valid edits and a final invalid one, each replacing the 6-character lr, written back to back without waiting.
      for (let version = 2; version <= last; version++) {
        const lr = version === last ? '-3.0e-4' : `${version}.0e-4`;
        void burst.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: 2, character: 6 }, end: { line: 2, character: 12 } }, text: lr }],
        });
      }
      await final;
      assert.deepEqual(
        publishes.map((params) => params.version),
        [last],
        'the analyses of versions 2 to 9 were abandoned, not published',
      );
      const flagged = publishes[0]!.diagnostics.filter((diagnostic) => diagnostic.range.start.line === 2);
      assert.ok(
        flagged.some((diagnostic) => diagnostic.code === 'OL105'),
        `the final version's negative lr is flagged: ${JSON.stringify(publishes[0]!.diagnostics)}`,
      );

      // Opening fires both "open" and "change" for version 1: still one publish. The large file's tree may still be
      // rebuilt meanwhile, so A's and B's publishes can come in either order; C, opened after both have published,
      // publishes after any second publish of theirs would have.
      const opened = new Map<string, number>();
      const seen = (name: string): boolean => opened.has(`file:///responsive/${name}.optim.yaml`);
      let bothOpened: () => void = () => undefined;
      let thirdOpened: () => void = () => undefined;
      const both = new Promise<void>((resolve) => (bothOpened = resolve));
      const third = new Promise<void>((resolve) => (thirdOpened = resolve));
      burst.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
        opened.set(params.uri, (opened.get(params.uri) ?? 0) + 1);
        if (seen('a') && seen('b')) bothOpened();
        if (seen('c')) thirdOpened();
      });
      const open = (name: string): void =>
        void burst.connection.sendNotification(DidOpenTextDocumentNotification.type, {
          textDocument: {
            uri: `file:///responsive/${name}.optim.yaml`,
            languageId: 'optim',
            version: 1,
            text: 'optimizer:\n  type: SGD\n  lr: 0.1\n',
          },
        });
      open('a');
      open('b');
      await both;
      open('c');
      await third;
      assert.equal(opened.get('file:///responsive/a.optim.yaml'), 1);
      assert.equal(opened.get('file:///responsive/b.optim.yaml'), 1);
    } finally {
      await burst.stop();
    }
  });

  test('a hover and a completion sent during a long re-analysis answer before it finishes', async () => {
    const uri = 'file:///responsive/hover.optim.yaml';
    await openAnalysed(uri, LARGE);
    const events: string[] = [];
    // The analysis is finished when the server says so (the diagnostics of a large file may come before, from the
    // analysis worker, while the server's thread still rebuilds the tree the requests will read).
    const finished = new Promise<void>((resolve) =>
      server.connection.onNotification(AnalysisChangedNotification.type, (params) => {
        if (params.uri === uri && params.version === 2) {
          events.push('analysis v2');
          resolve();
        }
      }),
    );
    // The server's order of its own messages: the worker's problems are published, then the finished analysis told.
    const told: string[] = [];
    const published = server.nextDiagnostics(uri, 2).then(() => told.push('diagnostics v2'));
    void finished.then(() => told.push('analysis v2'));
    void server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 6, character: 9 }, end: { line: 6, character: 13 } }, text: '2000' }],
    });
    const hovered = server.connection
      .sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 9 } })
      .then((hover) => {
        events.push('hover');
        return hover;
      });
    const completed = server.connection
      .sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 5, character: 8 } })
      .then((items) => {
        events.push('completion');
        return items;
      });
    const [hover, items] = await Promise.all([hovered, completed, finished, published]);
    assert.deepEqual(
      events,
      ['hover', 'completion', 'analysis v2'],
      'both requests were answered from the last finished analysis while version 2 was analysed',
    );
    assert.deepEqual(told, ['diagnostics v2', 'analysis v2'], 'the problems went out before the tree was rebuilt');
    assert.match(JSON.stringify(hover?.contents), /AdamW/);
    const labels = (Array.isArray(items) ? items : (items?.items ?? [])).map((item) => item.label);
    assert.ok(labels.includes('CosineAnnealingLR'), `scheduler names are completed: ${labels.slice(0, 10).join(', ')}`);
  });

  test('quick fixes during a long re-analysis: none from an older version (its offsets would be wrong), then the new ones', async () => {
    const uri = 'file:///responsive/fixes.optim.yaml';
    // `AdamX` on line 1: an unknown optimizer with a rename fix.
    const typo = LARGE.replace('  type: AdamW', '  type: AdamX');
    await openAnalysed(uri, typo);
    const fixesAt = (line: number) =>
      server.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: { start: { line, character: 8 }, end: { line, character: 13 } },
        context: { diagnostics: [] },
      });
    assert.ok((await fixesAt(1))?.length, 'version 1 offers the rename');
    const finished = new Promise<void>((resolve) =>
      server.connection.onNotification(AnalysisChangedNotification.type, (params) => {
        if (params.uri === uri && params.version === 2) resolve();
      }),
    );
    // A line above everything: version 1's fix (line 1) would now rewrite this comment.
    void server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# note\n' },
      ],
    });
    assert.deepEqual(await fixesAt(1), [], 'no fix from the analysis of version 1 while version 2 is analysed');
    await finished;
    const fixes = (await fixesAt(2)) ?? [];
    const edits = fixes.flatMap((fix) => ('edit' in fix ? Object.values(fix.edit?.changes ?? {}).flat() : []));
    assert.ok(
      edits.some((edit) => edit.range.start.line === 2 && edit.newText === 'Adam'),
      JSON.stringify(fixes),
    );
  });

  test("Apply during a long re-analysis writes at the current version's offsets, not the last finished one's", async () => {
    const uri = 'file:///responsive/apply.optim.yaml';
    await openAnalysed(uri, LARGE);
    // A line above everything: the lr (line 2 in version 1) is on line 3 in version 2.
    void server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# note\n' },
      ],
    });
    const applied = await server.connection.sendRequest(ApplyLearningRateRequest.type, { uri, lr: 1e-3, target: 'lr' });
    assert.ok(applied, 'an edit');
    assert.deepEqual(
      applied.edits.map((edit) => edit.range.start.line),
      [3],
      `the lr of version 2 is on line 3: ${JSON.stringify(applied.edits)}`,
    );
  });

  test('new settings during a long analysis: that analysis is dropped and the version is published once, with them', async () => {
    const uri = 'file:///responsive/settings.optim.yaml';
    await server.open(uri, LARGE);
    const published = server.nextDiagnostics(uri, 2);
    void server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 2, character: 6 }, end: { line: 2, character: 12 } }, text: '-3.0e-4' },
      ],
    });
    // Sent while version 2 is being analysed with the old settings (OL105 on).
    void server.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { optimizerLens: { diagnosticsDelay: 0, severity: { OL105: 'off' } } },
    });
    const diagnostics = await published;
    assert.deepEqual(
      diagnostics.filter((diagnostic) => diagnostic.code === 'OL105'),
      [],
      'published with the new settings',
    );
    assert.ok(diagnostics.length > 0, 'the other problem of a negative lr is still reported');
    // Put the settings back for the other tests (and wait until they are applied: the document is republished).
    const restored = server.nextDiagnostics(uri, 2);
    void server.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { optimizerLens: { diagnosticsDelay: 0 } },
    });
    assert.ok((await restored).some((diagnostic) => diagnostic.code === 'OL105'));
  });

  test('a small document is analysed at once for a request, so a hover sees the newest text', async () => {
    const uri = 'file:///responsive/small.optim.yaml';
    const small = 'optimizer:\n  type: AdamW\n  lr: 3.0e-4\n';
    await server.open(uri, small);
    const published = server.nextDiagnostics(uri, 2);
    void server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'optimizer:\n  type: SGD\n  lr: 3.0e-4\n' }],
    });
    const hover = await server.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 8 },
    });
    assert.match(JSON.stringify(hover?.contents), /SGD/);
    assert.doesNotMatch(JSON.stringify(hover?.contents), /AdamW/);
    await published;
  });
});
