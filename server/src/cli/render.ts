// Writes a schedule plot to a file in the format its extension names (SVG, PNG or HTML).

import type { ScheduleFacts } from '../core/features/scheduleFacts';
import { scheduleHtml } from './plot/html';
import { schedulePng } from './plot/png';
import { scheduleSvg } from './plot/svg';
import type { ScheduleData } from '../protocol';

export function scheduleData(facts: ScheduleFacts, totalSteps: number | undefined): ScheduleData {
  const { series } = facts;
  const betas = series.betas;
  return {
    uri: '',
    version: 0,
    title: facts.title,
    lr: Array.from(series.lr),
    ...(series.momentum ? { momentum: Array.from(series.momentum) } : {}),
    ...(betas ? { betas: Array.from(betas[0], (b1, i) => [b1, betas[1][i] ?? 0] as const) } : {}),
    markers: series.markers,
    ...(totalSteps !== undefined ? { totalSteps } : {}),
    errors: facts.located.filter((issue) => issue.severity === 'error').map((issue) => issue.message),
  };
}

export function renderScheduleFile(
  file: string,
  facts: ScheduleFacts,
  totalSteps: number | undefined,
  options: { logY: boolean },
): { data?: string | Uint8Array; error?: string } {
  const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  const data = scheduleData(facts, totalSteps);
  switch (extension) {
    case 'svg':
      return { data: scheduleSvg(data, options) };
    case 'png':
      return { data: schedulePng(data, options) };
    case 'html':
      return { data: scheduleHtml(data) };
    default:
      return { error: `--out ${file}: the plot format is chosen by the extension, which must be .svg, .png or .html.` };
  }
}
