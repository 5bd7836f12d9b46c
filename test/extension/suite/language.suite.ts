// In-editor tests of the optim language: activation, diagnostics, hover, completion, quick fix and outline.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findOptimizer } from '../../../server/src/core/catalog/index';
import type { TestApi } from '../runner';
import {
  codesOf,
  completionLabel,
  diagnosticCode,
  EXTENSION_ID,
  hoverTextAt,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';

/** Adam with weight decay (OL207), a too-short T_max (OL206) and a YAML 1.1 float PyYAML reads as a string (OL004). */
const MISTAKES =
  'optimizer:\n  type: Adam\n  lr: 2e-5\n  weight_decay: 0.05\nscheduler:\n  type: CosineAnnealingLR\n  T_max: 200\n  eta_min: 1.0e-6\ntraining:\n  steps: 1000\n';

/** The same mistake, in a file of its own because the quick-fix test edits it. */
const QUICK_FIX = 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  weight_decay: 0.01\ntraining:\n  steps: 1000\n';

/** An optimizer block with an empty key line (line 3) where parameter names are completed. */
const COMPLETION = 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  \ntraining:\n  steps: 1000\n';

export function languageSuite({ suite, test, before }: TestApi): void {
  suite('optim language', () => {
    let mistakes: vscode.TextDocument;

    before(async () => {
      const uri = await writeWorkspaceFile('mistakes.optim.yaml', MISTAKES);
      mistakes = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(mistakes);
    });

    // That nothing activates before a YAML/JSON file is opened is the activation suite's first test.
    test('an *.optim.yaml file opens in the optim language and gets diagnostics from the server', async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(
        extension,
        `${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all
          .map((item) => item.id)
          .filter((id) => !id.startsWith('vscode.'))
          .join(', ')}`,
      );
      assert.equal(mistakes.languageId, 'optim');
      // Diagnostics from our server prove the client started; isActive is set once activate() has resolved.
      await waitForDiagnostics(mistakes.uri, (diagnostics) => diagnostics.length > 0, 'the first diagnostics');
      assert.equal(extension.isActive, true);
    });

    test('diagnostics carry rule codes: OL207 on Adam with weight_decay, OL206 on T_max, OL004 on 2e-5', async () => {
      const diagnostics = await waitForDiagnostics(mistakes.uri, (all) => codesOf(all).includes('OL207'), 'OL207');
      assert.deepEqual(codesOf(diagnostics), ['OL004', 'OL206', 'OL207']);
      const coupled = diagnostics.find((diagnostic) => diagnosticCode(diagnostic) === 'OL207')!;
      assert.equal(coupled.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(mistakes.getText(coupled.range), 'weight_decay');
      assert.match(coupled.message, /coupled L2/);
    });

    test('hover over the optimizer type shows the catalog entry for Adam', async () => {
      const text = await hoverTextAt(mistakes, 'Adam', 1);
      const adam = findOptimizer('Adam');
      assert.ok(adam, 'the catalog has no Adam');
      assert.ok(
        text.includes(adam.summary),
        `the hover does not contain the catalog summary "${adam.summary}":\n${text}`,
      );
    });

    test('hover over a parameter shows its catalog doc', async () => {
      const text = await hoverTextAt(mistakes, 'weight_decay', 2);
      assert.match(text, /\*\*weight_decay\*\* of Adam/);
    });

    test('completion in an Adam block offers betas', async () => {
      const uri = await writeWorkspaceFile('completion.optim.yaml', COMPLETION);
      const document = await vscode.workspace.openTextDocument(uri);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        new vscode.Position(3, 2),
      );
      const labels = list.items.map(completionLabel);
      assert.ok(labels.includes('betas'), `no betas among: ${labels.join(', ')}`);
      assert.ok(!labels.includes('lr'), 'lr is offered although the block already has it');
    });

    test('the OL207 quick fix "Switch to AdamW" edits the document and clears the warning', async () => {
      const uri = await writeWorkspaceFile('quickfix.optim.yaml', QUICK_FIX);
      const document = await vscode.workspace.openTextDocument(uri);
      const diagnostics = await waitForDiagnostics(uri, (all) => codesOf(all).includes('OL207'), 'OL207');
      const coupled = diagnostics.find((diagnostic) => diagnosticCode(diagnostic) === 'OL207')!;
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        coupled.range,
      );
      const titles = actions.map((action) => action.title);
      const fix = actions.find(
        (action): action is vscode.CodeAction => action.title.startsWith('Switch to AdamW') && 'edit' in action,
      );
      assert.ok(fix?.edit, `no "Switch to AdamW" action with an edit among: ${JSON.stringify(titles)}`);
      assert.equal(fix.isPreferred, true);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit refused the edit');
      assert.match(document.getText(), /^ {2}type: AdamW$/m);
      await waitForDiagnostics(uri, (all) => !codesOf(all).includes('OL207'), 'OL207 to disappear after the fix');
      await document.save();
    });

    test('the outline lists the sections with the optimizer type and its parameters', async () => {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        mistakes.uri,
      );
      assert.deepEqual(
        symbols.map((symbol) => symbol.name),
        ['optimizer', 'scheduler', 'training'],
      );
      const optimizer = symbols[0]!;
      assert.equal(optimizer.detail, 'Adam');
      assert.deepEqual(
        optimizer.children.map((child) => child.name),
        ['type', 'lr', 'weight_decay'],
      );
      assert.equal(symbols[1]!.detail, 'CosineAnnealingLR');
    });
  });
}
