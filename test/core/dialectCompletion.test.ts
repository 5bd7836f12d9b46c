// Completion in other tools' files: names and parameters of the block under the cursor, and no native sections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { complete } from '../../server/src/core/features/completion';

function labelsAt(fileName: string, marked: string): string[] {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const analysis = analyze(text, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName });
  return complete(analysis, offset).map((item) => item.label);
}

test('DeepSpeed: the optimizer params block offers the missing parameters', () => {
  const labels = labelsAt(
    'ds_config.json',
    '{\n  "optimizer": {\n    "type": "AdamW",\n    "params": {\n      "lr": 1e-4,\n      |\n    }\n  }\n}\n',
  );
  assert.ok(labels.includes('betas') && labels.includes('adam_w_mode'), labels.join(','));
  assert.ok(!labels.includes('lr'), 'lr is already there');
});

test('DeepSpeed: the type value offers optimizer names', () => {
  const labels = labelsAt(
    'ds_config.json',
    '{\n  "optimizer": {\n    "type": "Ada|",\n    "params": {"lr": 1e-4}\n  }\n}\n',
  );
  assert.ok(labels.includes('AdamW'));
});

test('Lightning: init_args offers the class parameters', () => {
  const labels = labelsAt(
    'config.yaml',
    'optimizer:\n  class_path: torch.optim.AdamW\n  init_args:\n    lr: 1.0e-3\n    |\ntrainer:\n  max_epochs: 3\n',
  );
  assert.ok(labels.includes('betas') && !labels.includes('lr'), labels.join(','));
});

test('Hugging Face: no native sections or snippets are offered at the top level', () => {
  assert.deepEqual(labelsAt('train.yaml', 'learning_rate: 2.0e-5\nlr_scheduler_type: cosine\n|\n'), []);
});
