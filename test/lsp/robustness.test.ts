// The bundled server survives hostile documents: it keeps answering, and every diagnostic lies inside its document.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HoverRequest,
  CompletionRequest,
  DocumentSymbolRequest,
  CodeLensRequest,
  FoldingRangeRequest,
} from 'vscode-languageserver-protocol';
import { suiteServer } from './lspClient';

const HOSTILE: readonly [string, string][] = [
  ['empty.optim.yaml', ''],
  ['junk.optim.yaml', Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('')],
  ['deep.optim.yaml', `optimizer: ${'['.repeat(10000)}`],
  ['deep.optim.json', `{"a": ${'{"b": '.repeat(10000)}`],
  [
    'bomb.optim.yaml',
    'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
  ],
  ['dupes.optim.yaml', 'optimizer: {type: SGD}\noptimizer: {type: Adam, type: AdamW}\n'],
  ['huge.optim.yaml', `optimizer:\n  type: SGD\n  lr: 0.1\n${'# padding\n'.repeat(1_100_000)}`],
];

function lineCount(text: string): number {
  return text.split('\n').length;
}

describe('the server survives hostile documents', () => {
  const server = suiteServer();

  for (const [name, text] of HOSTILE) {
    test(name, async () => {
      const uri = `file:///w/${name}`;
      const diagnostics = await server().open(uri, text);
      const lines = lineCount(text);
      for (const diagnostic of diagnostics) {
        assert.ok(
          diagnostic.range.start.line < lines && diagnostic.range.end.line < lines,
          `${diagnostic.code} at line ${diagnostic.range.end.line} of ${lines}`,
        );
      }
      for (const position of [
        { line: 0, character: 0 },
        { line: 0, character: 5 },
        { line: 2, character: 3 },
      ]) {
        await server().connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
        await server().connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
      }
      await server().connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
      await server().connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
      await server().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
      // Still alive and correct afterwards.
      const healthy = await server().open(
        `file:///w/after-${name.replace(/\W/g, '-')}.optim.yaml`,
        'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  weight_decay: 0.1\n',
      );
      assert.deepEqual(
        healthy.map((d) => d.code),
        ['OL207'],
      );
    });
  }
  test('an 11 MB document gets exactly the size-limit diagnostic', async () => {
    const diagnostics = await server().open('file:///w/huge2.optim.yaml', HOSTILE.at(-1)![1]);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['OL002'],
    );
  });
});
