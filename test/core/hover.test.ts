// Hover on a scheduler: the computed schedule first, the reference text after; and the one number format.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { hover } from '../../server/src/core/features/hover';
import { codeLenses } from '../../server/src/core/features/codeLens';
import { formatNumber } from '../../server/src/core/util/numberFormat';

const CONFIG = [
  'optimizer:',
  '  type: AdamW',
  '  lr: 3.0e-4',
  'scheduler:',
  '  type: SequentialLR',
  '  schedulers:',
  '    - {type: LinearLR, start_factor: 0.01, total_iters: 500}',
  '    - {type: CosineAnnealingLR, T_max: 9500, eta_min: 1.0e-6}',
  '  milestones: [500]',
  'training:',
  '  steps: 10000',
  '',
].join('\n');

function hoverAt(text: string, needle: string): string {
  const analysis = analyze(text, { format: 'yaml', dialect: 'auto', fileName: 'a.optim.yaml' });
  const result = hover(analysis, text.indexOf(needle) + 1);
  assert.ok(result, `no hover on ${needle}`);
  return result.markdown;
}

describe('hover on a scheduler', () => {
  test('the schedule summary (start, peak and where, final) comes before the reference text', () => {
    const markdown = hoverAt(CONFIG, 'SequentialLR');
    const summary = markdown.indexOf(
      '**Schedule** over 10000 steps: starts at `3e-6`, peaks at `3e-4` at step 500, ends at `1e-6`',
    );
    const reference = markdown.indexOf('### SequentialLR');
    assert.equal(summary, 0, markdown);
    assert.ok(reference > summary, markdown);
  });
  test('on the `scheduler:` key too', () => {
    const markdown = hoverAt(CONFIG, 'scheduler:');
    assert.ok(markdown.startsWith('**Schedule** over 10000 steps'), markdown);
    assert.ok(markdown.indexOf('**scheduler**:') > 0, markdown);
  });
  test("a nested scheduler shows its reference text only (the summary is the whole schedule's)", () => {
    const markdown = hoverAt(CONFIG, 'CosineAnnealingLR');
    assert.ok(markdown.startsWith('### CosineAnnealingLR'), markdown);
  });
});

describe('one number format', () => {
  test('formatNumber', () => {
    const cases: [number, string][] = [
      [3e-4, '3e-4'],
      [0.0003, '3e-4'],
      [0.00031415, '3.142e-4'],
      [0.9, '0.9'],
      [1, '1'],
      [0, '0'],
      [-0, '0'],
      [1e-3, '0.001'],
      [2e6, '2e6'],
      [123456, '123500'],
      [-5e-5, '-5e-5'],
      [Infinity, 'Infinity'],
    ];
    for (const [value, expected] of cases) assert.equal(formatNumber(value), expected, String(value));
    assert.equal(formatNumber(0.00031415, 2), '3.1e-4');
  });
  test('the code lens, the hover and the peak marker agree: 3e-4, never 0.0003000', () => {
    const analysis = analyze(CONFIG, { format: 'yaml', dialect: 'auto', fileName: 'a.optim.yaml' });
    const lens = codeLenses(analysis).find((candidate) => candidate.command === 'optimizerLens.showSchedule');
    assert.match(lens!.title, /peak 3e-4 @ step 500/);
    const peak = analysis.schedule!.series.markers.find((marker) => marker.kind === 'peak');
    if (peak) assert.equal(peak.label, 'peak lr 3e-4');
    const plain = analyze(
      'optimizer:\n  type: AdamW\n  lr: 3.0e-4\nscheduler:\n  type: OneCycleLR\n  max_lr: 3.0e-4\n  total_steps: 1000\ntraining:\n  steps: 1000\n',
      { format: 'yaml', dialect: 'auto', fileName: 'b.optim.yaml' },
    );
    const marker = plain.schedule!.series.markers.find((candidate) => candidate.kind === 'peak');
    assert.ok(marker, JSON.stringify(plain.schedule!.series.markers));
    assert.equal(marker.label, 'peak lr 3e-4');
    assert.match(hoverAt(CONFIG, 'SequentialLR'), /peaks at `3e-4`/);
  });
});
