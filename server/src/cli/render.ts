// Writes a schedule plot to a file in the format its extension names (SVG, PNG or HTML).

import { scheduleHtml } from './plot/html';
import { schedulePng } from './plot/png';
import { scheduleSvg } from '../core/plot/svg';
import type { ScheduleData } from '../protocol';

export function renderScheduleFile(
  file: string,
  data: ScheduleData,
  options: { logY: boolean },
): { data?: string | Uint8Array; error?: string } {
  const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
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
