// Protocol-level tests: the bundled server over stdio, spoken to with real LSP messages.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  CodeLensRequest,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { ScheduleRequest } from '../../server/src/protocol';
import { suiteServer } from './lspClient';

const CONFIG = `optimizer:
  type: Adam
  lr: 3e-4
  weight_decay: 0.01
scheduler:
  type: CosineAnnealingLR
  T_max: 500
  eta_min: 1.0e-6
training:
  steps: 1000
`;

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

describe('language server over stdio', () => {
  const server = suiteServer();

  /** Opens `text` as `uri` and asks for completion at `position`. */
  async function completionsIn(
    uri: string,
    text: string,
    position: { line: number; character: number },
  ): Promise<CompletionItem[]> {
    await server().open(uri, text);
    const result = await server().connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return (Array.isArray(result) ? result : (result as CompletionList).items) as CompletionItem[];
  }

  test('publishes diagnostics with codes, exact ranges and doc links', async () => {
    const diagnostics = await server().open('file:///w/a.optim.yaml', CONFIG);
    const codes = diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['OL004', 'OL206', 'OL207']);
    const yamlFloat = diagnostics.find((d) => d.code === 'OL004')!;
    assert.deepEqual(yamlFloat.range, { start: { line: 2, character: 6 }, end: { line: 2, character: 10 } });
    assert.match(yamlFloat.codeDescription!.href, /docs\/rules\.md#ol004$/);
    assert.equal(yamlFloat.source, 'optimizer-lens');
  });

  test('re-publishes as the user types and keeps analysing past a syntax error', async () => {
    const broken = CONFIG.replace('  lr: 3e-4', '  lr: [3e-4').replace(
      'type: CosineAnnealingLR',
      'type: CosineAnealingLR',
    );
    const diagnostics = await server().change('file:///w/a.optim.yaml', 2, broken);
    const codes = new Set(diagnostics.map((d) => d.code));
    assert.ok(codes.has('OL001'), `expected a syntax error, got ${[...codes].join(',')}`);
    const restored = await server().change('file:///w/a.optim.yaml', 3, CONFIG);
    assert.equal(restored.length, 3);
  });

  test('hover on an optimizer name, a parameter, and the scheduler', async () => {
    const uri = 'file:///w/a.optim.yaml';
    const onType = await server().connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: positionOf(CONFIG, 'Adam', 1),
    });
    assert.match((onType!.contents as MarkupContent).value, /### Adam\b/);
    const onParam = await server().connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: positionOf(CONFIG, 'eta_min', 2),
    });
    assert.match((onParam!.contents as MarkupContent).value, /\*\*eta_min\*\*/);
    assert.match((onParam!.contents as MarkupContent).value, /Effective value: `1e-6`/);
    const onScheduler = await server().connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: positionOf(CONFIG, 'CosineAnnealingLR', 3),
    });
    assert.match((onScheduler!.contents as MarkupContent).value, /peaks at `3e-4` at step 0/);
    const nothing = await server().connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 100, character: 0 },
    });
    assert.equal(nothing, null);
  });

  test('completion of scheduler names after type:', async () => {
    const items = await completionsIn('file:///w/b.optim.yaml', 'scheduler:\n  type: Cos\n', {
      line: 1,
      character: 11,
    });
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('CosineAnnealingLR'));
    assert.ok(labels.includes('OneCycleLR'));
  });

  test('completion of optimizer parameters with defaults', async () => {
    const items = await completionsIn('file:///w/c.optim.yaml', 'optimizer:\n  type: AdamW\n  \n', {
      line: 2,
      character: 2,
    });
    const betas = items.find((item) => item.label === 'betas');
    assert.ok(betas, `no betas in ${items.map((i) => i.label).join(',')}`);
    assert.equal((betas!.textEdit as { newText: string }).newText, 'betas: [${1:0.9}, ${2:0.999}]');
    assert.ok(!items.some((item) => item.label === 'type'), 'type is already present');
  });

  test('a quick fix turns Adam with weight_decay into AdamW', async () => {
    const uri = 'file:///w/a.optim.yaml';
    const diagnostics = await server().change(uri, 4, CONFIG);
    const decay = diagnostics.find((d) => d.code === 'OL207')!;
    const actions = (await server().connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: decay.range,
      context: { diagnostics: [decay] },
    })) as CodeAction[];
    const fix = actions.find((action) => action.title.startsWith('Switch to AdamW'));
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix!.isPreferred, true);
    const edit = fix!.edit!.changes![uri]![0]!;
    assert.equal(edit.newText, 'AdamW');
    assert.deepEqual(edit.range.start, { line: 1, character: 8 });
  });

  test('outline, folding and code lenses', async () => {
    const uri = 'file:///w/a.optim.yaml';
    const symbols = (await server().connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['optimizer', 'scheduler', 'training'],
    );
    assert.equal(symbols[0]!.detail, 'Adam');
    const folds = await server().connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.ok(folds!.some((f) => f.startLine === 0 && f.endLine === 3));
    const lenses = await server().connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    const scheduleLens = lenses!.find((lens) => lens.command?.command === 'optimizerLens.showSchedule');
    assert.match(scheduleLens!.command!.title, /peak 3e-4 @ step 0 · final/);
  });

  test('the schedule request returns the full series', async () => {
    const data = await server().connection.sendRequest(ScheduleRequest.type, { uri: 'file:///w/a.optim.yaml' });
    assert.ok(data);
    assert.equal(data!.lr.length, 1000);
    assert.equal(data!.lr[0], 3e-4);
    assert.equal(data!.totalSteps, 1000);
    // Past T_max=500 PyTorch's cosine climbs back: step 1000 is back near the base lr.
    assert.ok(Math.abs(data!.lr[500]! - 1e-6) < 1e-12);
    assert.ok(data!.lr[999]! > 2.9e-4);
  });

  test('a DeepSpeed JSON file and a Hugging Face YAML file get diagnostics in place', async () => {
    const ds =
      '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "AdamW", "params": {"lr": -1e-4}},\n  "train_step_batch_size": 4\n}\n';
    const dsDiagnostics = await server().open('file:///w/ds_config.json', ds, 'json');
    const codes = dsDiagnostics.map((d) => d.code);
    assert.ok(codes.includes('OL105'), `DeepSpeed codes: ${codes.join(',')}`);
    const hf = 'learning_rate: 2e-5\nlr_scheduler_type: cosine\nmax_steps: 1000\nwarmup_steps: 2000\n';
    const hfDiagnostics = await server().open('file:///w/train.yaml', hf, 'yaml');
    const hfCodes = hfDiagnostics.map((d) => d.code);
    assert.ok(hfCodes.includes('OL004'), `HF codes: ${hfCodes.join(',')}`);
    assert.ok(hfCodes.includes('OL200'), `HF codes: ${hfCodes.join(',')}`);
  });

  test('a YAML file that is not an optimizer config gets no diagnostics', async () => {
    const diagnostics = await server().open(
      'file:///w/docker-compose.yaml',
      'services:\n  web: {image: nginx}\n',
      'yaml',
    );
    assert.deepEqual(diagnostics, []);
  });
});
