// The client and the server share one vscode-jsonrpc, so the client sends the typed request objects of
// `server/src/protocol.ts` (their classes must be the same on both sides). A dependency bump that brings a second
// copy back would make `client.sendRequest(ScheduleRequest.type, ...)` stop type-checking; this says why, sooner.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const fromRoot = createRequire(path.join(root, 'package.json'));

/** The entry module of each package, resolved from the repository root as the bundler does. */
const entries: Record<string, string> = {
  'vscode-languageclient': fromRoot.resolve('vscode-languageclient/node'),
  'vscode-languageserver': fromRoot.resolve('vscode-languageserver/node'),
  'vscode-languageserver-protocol': fromRoot.resolve('vscode-languageserver-protocol'),
};

/** The module `specifier` as the package `packageName` loads it. */
function loadedBy(packageName: string, specifier: string): string {
  return createRequire(entries[packageName]!).resolve(specifier);
}

describe('one vscode-jsonrpc', () => {
  it('the language client, the language server and the protocol module load the same copy', () => {
    const copies = new Map(Object.keys(entries).map((name) => [name, loadedBy(name, 'vscode-jsonrpc')]));
    assert.equal(new Set(copies.values()).size, 1, `several copies: ${JSON.stringify(Object.fromEntries(copies))}`);
  });

  it('the protocol module that protocol.ts imports is the one the client and the server use', () => {
    const own = entries['vscode-languageserver-protocol'];
    assert.equal(loadedBy('vscode-languageclient', 'vscode-languageserver-protocol'), own);
    assert.equal(loadedBy('vscode-languageserver', 'vscode-languageserver-protocol'), own);
  });
});
