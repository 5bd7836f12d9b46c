// What the range-test view reads from a result, without the DOM: suggestion labels, the note for a missing
// suggestion, the stop reason, the backend line, the clipped loss range and the CSV export.

import type { RangeTestSnapshot, RangeTestSuggestionKind } from '../protocol';
import { formatValue } from '../common/format';
import { csvNumber } from '../common/lineChartSvg';

/** In the order they are shown: fastai's default, the valley, first. */
export const SUGGESTION_KINDS: readonly RangeTestSuggestionKind[] = ['valley', 'steepest', 'minimum'];

export const SUGGESTION_TITLES: { readonly [kind in RangeTestSuggestionKind]: string } = {
  steepest: 'Steepest descent',
  valley: 'Valley',
  minimum: 'Minimum ÷ 10',
};

/** Short labels drawn beside the markers on the plot. */
export const SUGGESTION_MARKER_LABELS: { readonly [kind in RangeTestSuggestionKind]: string } = {
  steepest: 'steepest',
  valley: 'valley',
  minimum: 'min÷10',
};

/** The server's note for a missing suggestion starts with these words (see `core/rangeTest/suggestions.ts`). */
const missingNotePatterns: { readonly [kind in RangeTestSuggestionKind]: RegExp } = {
  steepest: /^No steepest/i,
  valley: /^No valley/i,
  minimum: /^No minimum/i,
};

/** Notes that explain why no suggestion at all could be made; they apply to every missing suggestion. */
const allMissingPattern = /^Too short to suggest/i;

/** Why the suggestion of `kind` is missing, from the notes; a generic sentence when the notes do not say. */
export function missingSuggestionNote(view: RangeTestSnapshot, kind: RangeTestSuggestionKind): string {
  const specific = view.notes.find((note) => missingNotePatterns[kind].test(note));
  if (specific !== undefined) return specific;
  const general = view.notes.find((note) => allMissingPattern.test(note));
  if (general !== undefined) return general;
  return 'No suggestion: the curve does not support one.';
}

/** The notes not already shown beside a missing suggestion. */
export function generalNotes(view: RangeTestSnapshot): string[] {
  const shownBySuggestion = new Set<string>();
  for (const kind of SUGGESTION_KINDS) {
    if (view.suggestions[kind] === null) shownBySuggestion.add(missingSuggestionNote(view, kind));
  }
  return view.notes.filter((note) => !shownBySuggestion.has(note));
}

/** e.g. `diverged at lr = 2.1e-1 (iteration 87 of 100)`. */
export function stoppedText(view: RangeTestSnapshot): string {
  const last = view.lrs.length - 1;
  if (view.running)
    return `running: ${view.lrs.length} of ${view.running.total} iterations${last >= 0 ? `, lr = ${formatValue(view.lrs[last], 3)}` : ''}`;
  const lastLr = formatValue(view.lrs[last], 3);
  switch (view.stopped) {
    case 'diverged':
      return `diverged at lr = ${lastLr} (iteration ${last + 1})`;
    case 'cancelled':
      return `cancelled at lr = ${lastLr} (iteration ${last + 1})`;
    default:
      return `completed ${view.lrs.length} iterations up to lr = ${lastLr}`;
  }
}

/** The backends that were tried and did not load, e.g. `tfjs-node-gpu: not installed`. */
export function failedBackendAttempts(view: RangeTestSnapshot): string[] {
  return view.backendAttempts
    .filter((attempt) => !attempt.loaded && attempt.name !== view.backend)
    .map((attempt) => (attempt.reason ? `${attempt.name}: ${attempt.reason}` : `${attempt.name}: did not load`));
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * The loss range to show. The blow-up at the end of a range test runs off to huge values that would flatten the
 * interesting part, so the top is clipped a little above the starting plateau (as fastai's plot effectively does);
 * the curve leaves the plot at the top where it diverges.
 */
export function lossRange(view: RangeTestSnapshot): { min: number; max: number } {
  const finite = (values: readonly (number | null)[]): number[] =>
    values.filter((value): value is number => value !== null && Number.isFinite(value));
  const smoothed = finite(view.smoothed);
  const raw = finite(view.losses);
  if (smoothed.length === 0 && raw.length === 0) return { min: 0, max: 1 };
  const all = smoothed.length > 0 ? smoothed : raw;
  let minimumIndex = 0;
  for (let index = 1; index < all.length; index++) if (all[index]! < all[minimumIndex]!) minimumIndex = index;
  const minimum = Math.min(all[minimumIndex]!, ...raw.slice(0, Math.max(1, minimumIndex + 1)));
  const plateau = Math.max(...all.slice(0, minimumIndex + 1), ...raw.slice(0, Math.min(raw.length, 3)));
  const span = Math.max(plateau - minimum, Math.abs(plateau) * 0.05, 1e-12);
  return { min: minimum - span * 0.08, max: plateau + span * 0.35 };
}

/** `iteration,lr,loss,smoothed`, one row per recorded iteration, then nothing else, so that tools can read it. */
export function rangeTestCsv(view: RangeTestSnapshot): string {
  const rows = ['iteration,lr,loss,smoothed'];
  for (let index = 0; index < view.lrs.length; index++) {
    rows.push(
      [String(index), csvNumber(view.lrs[index]), csvNumber(view.losses[index]), csvNumber(view.smoothed[index])].join(
        ',',
      ),
    );
  }
  return rows.join('\n') + '\n';
}

/** Where the test ran, e.g. `PyTorch 2.5.1 on cuda:0 (NVIDIA H100 80GB HBM3), Python 3.11.2`, or the backend. */
export function runtimeText(view: RangeTestSnapshot): string {
  const runtime = view.runtime;
  if (!runtime) return view.backend;
  const device =
    runtime.deviceName && runtime.deviceName !== runtime.device
      ? `${runtime.device} (${runtime.deviceName})`
      : runtime.device;
  return `PyTorch ${runtime.torch} on ${device}, Python ${runtime.python}`;
}

/** The sentence above a result measured on a synthetic model; null for the user's own model. */
export function proxyWarning(view: RangeTestSnapshot): string | null {
  if (view.measuredOn !== 'proxy') return null;
  return `Measured on a synthetic proxy (${view.task}), not on your model: these learning rates say nothing about your own training. Use \`range_test: {task: pytorch}\` to run the test on your model.`;
}
