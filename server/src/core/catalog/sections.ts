// Catalog entries for the native format's own sections (the top-level keys and `training:`).

import { RANGE_TEST_SECTION } from './rangeTestSection';
import type { SectionEntry } from './types';

export const TRAINING_SECTION: SectionEntry = {
  kind: 'section',
  name: 'training',
  summary: 'The run the schedule is checked against: its length in optimizer updates, batch size and clipping.',
  doc: [
    'Describes the training run, so that schedule lengths, warmups and milestones can be checked against it.',
    '',
    'Give the run length either as `steps` (optimizer updates) or as `epochs` and `steps_per_epoch`.',
    'Schedulers in the native format are stepped once per optimizer update, as in most modern recipes.',
  ].join('\n'),
  references: [],
  params: [
    {
      name: 'steps',
      type: 'integer',
      min: { value: 1 },
      unit: 'steps',
      doc: 'Total optimizer updates in the run (scheduler steps).',
    },
    {
      name: 'epochs',
      type: 'integer',
      min: { value: 1 },
      doc: 'Number of epochs; the run length is `epochs * steps_per_epoch` when `steps` is not given.',
    },
    {
      name: 'steps_per_epoch',
      type: 'integer',
      min: { value: 1 },
      doc: 'Optimizer updates per epoch (batches per epoch divided by gradient accumulation).',
    },
    {
      name: 'batch_size',
      type: 'integer',
      min: { value: 1 },
      doc: 'Global batch size (samples per optimizer update).',
    },
    {
      name: 'grad_clip',
      type: 'number',
      min: { value: 0, exclusive: true },
      doc: 'Gradient norm clipping threshold (`torch.nn.utils.clip_grad_norm_` max_norm).',
    },
  ],
};

/** The top-level keys of the native format with one-line descriptions (hover and completion on section keys). */
export const TOP_LEVEL_SECTIONS: readonly { readonly name: string; readonly summary: string }[] = [
  {
    name: 'optimizer',
    summary: 'A PyTorch optimizer: `type:` (class name or `torch.optim.<Name>`) plus its keyword arguments, verbatim.',
  },
  {
    name: 'scheduler',
    summary:
      'A learning-rate scheduler: `type:` (PyTorch class, `hf.<type>` or a DeepSpeed schedule) plus its keyword arguments.',
  },
  { name: 'training', summary: TRAINING_SECTION.summary },
  { name: 'range_test', summary: RANGE_TEST_SECTION.summary },
  {
    name: 'simulate',
    summary: 'Toy loss-landscape simulations of the configured optimizer and its rivals, run on demand.',
  },
];
