// Writes a schedule as a standalone HTML page: the SVG plot, a summary table and the errors, nothing remote.

import type { ScheduleData } from '../../protocol';
import { htmlPage } from '../../core/plot/htmlPage';
import { escapeXml, scheduleSvg } from '../../core/plot/svg';
import { formatNumber } from '../../core/util/numberFormat';

export interface ScheduleSummaryRow {
  readonly label: string;
  readonly value: string;
}

/**
 * Start, peak (with its step), minimum and final lr, plus the run length; empty for an empty schedule. Values use the
 * product's one number format (four significant digits: enough to tell 3e-4 from 2.999e-4 in a table).
 */
export function scheduleSummaryRows(data: ScheduleData): ScheduleSummaryRow[] {
  const lr = data.lr;
  if (lr.length === 0) return [];
  let peakStep = 0;
  let lowStep = 0;
  for (let step = 1; step < lr.length; step++) {
    if (lr[step]! > lr[peakStep]!) peakStep = step;
    if (lr[step]! < lr[lowStep]!) lowStep = step;
  }
  const rows: ScheduleSummaryRow[] = [
    { label: 'start lr', value: formatNumber(lr[0]!) },
    { label: 'peak lr', value: `${formatNumber(lr[peakStep]!)} at step ${peakStep}` },
    { label: 'lowest lr', value: `${formatNumber(lr[lowStep]!)} at step ${lowStep}` },
    { label: 'final lr', value: `${formatNumber(lr[lr.length - 1]!)} at step ${lr.length - 1}` },
    { label: 'steps evaluated', value: String(lr.length) },
  ];
  if (data.totalSteps !== undefined) rows.push({ label: 'run length', value: `${data.totalSteps} steps` });
  const second = data.momentum ?? data.betas?.map((pair) => pair[0]);
  if (second && second.length > 0) {
    const finite = second.filter(Number.isFinite);
    if (finite.length > 0) {
      rows.push({
        label: data.momentum ? 'momentum range' : 'beta1 range',
        value: `${formatNumber(Math.min(...finite))} to ${formatNumber(Math.max(...finite))}`,
      });
    }
  }
  return rows;
}

export function scheduleHtml(data: ScheduleData): string {
  const title = data.title.trim() === '' ? 'Learning-rate schedule' : data.title;
  const rows = scheduleSummaryRows(data)
    .map((row) => `      <tr><th scope="row">${escapeXml(row.label)}</th><td>${escapeXml(row.value)}</td></tr>`)
    .join('\n');
  const errors =
    data.errors.length === 0
      ? ''
      : `  <section class="errors">\n    <h2>Errors</h2>\n    <ul>\n${data.errors.map((message) => `      <li>${escapeXml(message)}</li>`).join('\n')}\n    </ul>\n  </section>\n`;
  return htmlPage({
    csp: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    title,
    head: `  <style>
    body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2rem; color: #1f2328; background: #ffffff; }
    figure { margin: 0 0 1.5rem 0; }
    svg { max-width: 100%; height: auto; border: 1px solid #d0d7de; border-radius: 6px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 0.25rem 1rem 0.25rem 0; border-bottom: 1px solid #eaeef2; }
    th { font-weight: 600; color: #57606a; }
    .errors { color: #cf222e; }
  </style>
`,
    body: `  <h1>${escapeXml(title)}</h1>
  <figure>
${scheduleSvg(data).trimEnd()}
  </figure>
  <table>
    <tbody>
${rows}
    </tbody>
  </table>
${errors}`,
  });
}
