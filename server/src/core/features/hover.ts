// Hover: the catalog's documentation for whatever is under the cursor; on a scheduler, the computed schedule comes first.

import { TOP_LEVEL_SECTIONS, TRAINING_SECTION } from '../catalog/sections';
import type { EntryBase, OptimizerEntry, ParamSpec, SchedulerEntry, SectionEntry } from '../catalog/types';
import type { Analysis } from '../analysis';
import { formatNumber } from '../util/numberFormat';
import { describeRange, describeType } from '../rules/values';
import type { Span } from '../syntax/tree';
import { queryAt } from './query';
import type { ScheduleFacts } from './scheduleFacts';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export function hover(
  analysis: Analysis,
  offset: number,
  sections: readonly SectionEntry[] = [TRAINING_SECTION],
): HoverResult | null {
  const model = analysis.model;
  if (!model) return null;
  const target = queryAt(model, offset, sections);
  if (!target) return null;
  switch (target.kind) {
    case 'section': {
      const section = TOP_LEVEL_SECTIONS.find((candidate) => candidate.name === target.name);
      if (!section) return null;
      const parts = [`**${section.name}**: ${section.summary}`];
      // What this file's schedule does is what the user came for; the reference text follows it.
      if (section.name === 'scheduler' && analysis.schedule) parts.unshift(scheduleSummaryMarkdown(analysis.schedule));
      if (section.name === 'optimizer' && model.optimizer?.entry)
        parts.push(`**${model.optimizer.entry.name}**: ${model.optimizer.entry.summary}`);
      if (section.name === 'training' && model.training?.totalSteps !== undefined)
        parts.push(`Run length: **${model.training.totalSteps}** optimizer updates.`);
      return { markdown: parts.join('\n\n'), span: target.span };
    }
    case 'optimizerType': {
      const entry = target.block.entry;
      if (!entry) return null;
      return {
        markdown: [entryMarkdown(entry, OPTIMIZER_ORIGINS[entry.library]), ...readAs(model.reader)].join('\n\n'),
        span: target.span,
      };
    }
    case 'schedulerType': {
      const entry = target.block.entry;
      if (!entry) return null;
      const parts = [entryMarkdown(entry, `${SCHEDULER_ORIGINS[entry.family]} scheduler`)];
      if (analysis.schedule && target.block === model.scheduler)
        parts.unshift(scheduleSummaryMarkdown(analysis.schedule));
      return { markdown: parts.join('\n\n'), span: target.span };
    }
    case 'param': {
      const spec = target.spec;
      if (!spec) return null;
      const owner =
        target.owner.kind === 'section' ? `\`${target.owner.section.name}:\`` : (target.owner.block.entry?.name ?? '');
      return {
        markdown: paramMarkdown(spec, owner, target.param.value, target.param.node !== null),
        span: target.span,
      };
    }
  }
}

/** Where a scheduler comes from, by the catalog's `family`. */
const SCHEDULER_ORIGINS: Readonly<Record<SchedulerEntry['family'], string>> = {
  torch: 'torch.optim.lr_scheduler',
  hf: 'Hugging Face',
  deepspeed: 'DeepSpeed',
  timm: 'timm.scheduler',
};

/** Where an optimizer class comes from, by the catalog's `library` (every library has its line). */
const OPTIMIZER_ORIGINS: Readonly<Record<OptimizerEntry['library'], string>> = {
  torch: 'torch.optim optimizer',
  deepspeed: 'DeepSpeed optimizer (deepspeed.ops; built from a ds_config `optimizer.type`)',
  other: 'simulator-only optimizer (a teaching rule of `optlens simulate`, not a PyTorch or DeepSpeed class)',
};

/** Which program reads the file, when the dialect can tell (e.g. "Read as axolotl config"). */
function readAs(reader: string | undefined): string[] {
  return reader ? [`*Read as ${reader}.*`] : [];
}

export function entryMarkdown(entry: EntryBase, what: string): string {
  const parts = [`### ${entry.name}`, `*${what}*: ${entry.summary}`, entry.doc];
  const defaults = entry.params.filter((param) => param.default !== undefined || param.required);
  if (defaults.length > 0) {
    parts.push(
      [
        '| parameter | default |',
        '| --- | --- |',
        ...defaults.map(
          (param) => `| \`${param.name}\` | ${param.required ? '*required*' : `\`${showValue(param.default)}\``} |`,
        ),
      ].join('\n'),
    );
  }
  if (entry.references.length > 0)
    parts.push(`References: ${entry.references.map((ref) => `[${ref.title}](${ref.url})`).join(' · ')}`);
  return parts.join('\n\n');
}

export function paramMarkdown(spec: ParamSpec, owner: string, value: unknown, given: boolean): string {
  const facts = [`*${describeType(spec)}*`];
  if (spec.required) facts.push('required');
  else if (spec.default !== undefined) facts.push(`default \`${showValue(spec.default)}\``);
  if (spec.min || spec.max) facts.push(describeRange(spec.min, spec.max));
  const lines = [`**${spec.name}** of ${owner}: ${facts.join(' · ')}`, spec.doc];
  const effective = given && value !== null && value !== undefined ? value : spec.default;
  if (effective !== undefined)
    lines.push(`Effective value: \`${showValue(effective)}\`${given ? '' : ' (the default)'}`);
  if (spec.deprecated) lines.push(`**Deprecated:** ${spec.deprecated}`);
  const lifetime = [
    spec.since ? `added in PyTorch ${spec.since}` : '',
    spec.removedIn ? `removed in PyTorch ${spec.removedIn}` : '',
  ].filter(Boolean);
  if (lifetime.length > 0)
    lines.push(`*PyTorch versions:* ${lifetime.join(', ')} (checked against \`optimizerLens.torchVersion\`).`);
  if (spec.engineNote) lines.push(`*Simulator:* ${spec.engineNote}`);
  return lines.join('\n\n');
}

export function scheduleSummaryMarkdown(facts: ScheduleFacts): string {
  const summary = facts.summary;
  if (!summary)
    return `**Schedule:** ${[...facts.located.map((issue) => issue.message), ...facts.notes].join(' ') || 'empty'}`;
  const unit = facts.series.unit ?? 'step';
  const lines = [
    `**Schedule** over ${facts.series.lr.length} ${unit}s${facts.stepsFromRun ? '' : ' (preview)'}: starts at \`${formatNumber(summary.start)}\`, peaks at \`${formatNumber(summary.peak)}\` at ${unit} ${summary.peakStep}, ends at \`${formatNumber(summary.final)}\`${summary.minStep !== facts.series.lr.length - 1 && summary.min < summary.final ? `; lowest \`${formatNumber(summary.min)}\` at ${unit} ${summary.minStep}` : ''}.`,
  ];
  for (const note of facts.notes) lines.push(`*${note}*`);
  return lines.join('\n\n');
}

function showValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
