// What the landscape view reads from a simulation, without the DOM: step counts, the step-size series to plot,
// the per-run stability statements' colours and bound lines, and the CSV export.

import type { SimulationRunSnapshot, SimulationSnapshot, SimulationStatementSnapshot } from '../protocol';
import { formatValue } from '../common/format';
import { csvNumber, csvText } from '../common/lineChartSvg';

/** The last update index the scrubber can reach: the longest run's. */
export function lastStepOf(view: SimulationSnapshot): number {
  return view.runs.reduce((longest, run) => Math.max(longest, run.x.length - 1, run.loss.length - 1), 0);
}

/** Whether the map (contours and paths) applies: a 2-D function with paths or a sampled grid. */
export function hasMap(view: SimulationSnapshot): boolean {
  return view.dim === 2 && (view.grid !== undefined || view.runs.some((run) => run.x.length > 0));
}

/** Coordinate names as the map and the CSV use them. */
export function coordinateName(dim: number, index: number): string {
  if (dim === 2) return index === 0 ? 'x' : 'y';
  return `x${index + 1}`;
}

export interface StepSizeSeries {
  readonly label: string;
  readonly runIndex: number;
  /** Value per update; index `k` is update `k + 1`. */
  readonly values: (number | null)[];
  readonly dashed: boolean;
}

/** Coordinates per run plotted one by one; beyond this the mean and the maximum over coordinates are plotted. */
const mostCoordinatesPlottedSeparately = 2;

/**
 * The effective per-coordinate step sizes to plot: every coordinate of 2-D runs (the dormant coordinate's spike
 * shows against the other), the mean and maximum over coordinates in n-D.
 */
export function stepSizeSeries(view: SimulationSnapshot): StepSizeSeries[] {
  const series: StepSizeSeries[] = [];
  view.runs.forEach((run, runIndex) => {
    const sizes = run.stepSize;
    if (!sizes || sizes.length === 0) return;
    const coordinates = sizes.reduce((most, row) => Math.max(most, row.length), 0);
    const finite = (value: number | null | undefined): value is number =>
      value !== null && value !== undefined && Number.isFinite(value);
    if (coordinates <= mostCoordinatesPlottedSeparately) {
      for (let coordinate = 0; coordinate < coordinates; coordinate++) {
        series.push({
          label: `${run.label} ${coordinateName(view.dim, coordinate)}`,
          runIndex,
          values: sizes.map((row) => (finite(row[coordinate]) ? row[coordinate]! : null)),
          dashed: coordinate > 0,
        });
      }
      return;
    }
    const mean = sizes.map((row) => {
      const values = row.filter(finite);
      return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
    });
    const max = sizes.map((row) => {
      const values = row.filter(finite);
      return values.length === 0 ? null : Math.max(...values);
    });
    series.push({ label: `${run.label} mean`, runIndex, values: mean, dashed: false });
    series.push({ label: `${run.label} max`, runIndex, values: max, dashed: true });
  });
  return series;
}

/** Verdicts that mean the run went (or goes) wrong: shown in the error colour. */
export function isWarningVerdict(verdict: SimulationStatementSnapshot['verdict']): boolean {
  return verdict === 'unstable' || verdict === 'diverged' || verdict === 'growing';
}

/**
 * The lr limits to mark on the step-size plot: one per distinct bound (rule and limit), with its label. Only runs
 * with a proven bound have one; measured statements mark nothing.
 */
export function boundLines(view: SimulationSnapshot): { limit: number; label: string }[] {
  const lines: { limit: number; label: string }[] = [];
  for (const statement of view.stability ?? []) {
    const bound = statement.bound;
    if (!bound || !(bound.limit > 0)) continue;
    const label = `${bound.rule} = ${formatValue(bound.limit, 3)}`;
    if (!lines.some((line) => line.label === label)) lines.push({ limit: bound.limit, label });
  }
  return lines;
}

/** The point of `run` at `step`, or its last point when the run stopped earlier; `null` when it has none. */
export function pointAt(run: SimulationRunSnapshot, step: number): readonly number[] | null {
  if (run.x.length === 0) return null;
  return run.x[Math.min(Math.max(0, step), run.x.length - 1)] ?? null;
}

/**
 * Runs as CSV, one row per run and step: `run,step,loss,x,y[,step_size_x,step_size_y]`. A sweep without
 * trajectories exports its heatmap instead: `x label,y label,metric`.
 */
export function simulationCsv(view: SimulationSnapshot): string {
  if (view.runs.length === 0 && view.heatmap) {
    const heatmap = view.heatmap;
    const rows = [[heatmap.xLabel, heatmap.yLabel, heatmap.metric].map(csvText).join(',')];
    heatmap.ys.forEach((y, row) => {
      heatmap.xs.forEach((x, column) =>
        rows.push([csvNumber(x), csvNumber(y), csvNumber(heatmap.values[row * heatmap.xs.length + column])].join(',')),
      );
    });
    return rows.join('\n') + '\n';
  }
  const coordinates = Array.from({ length: view.dim }, (_unused, index) => coordinateName(view.dim, index));
  const withStepSize = view.runs.some((run) => run.stepSize !== undefined);
  const header = [
    'run',
    'step',
    'loss',
    ...coordinates,
    ...(withStepSize ? coordinates.map((name) => `step_size_${name}`) : []),
  ];
  const rows = [header.join(',')];
  for (const run of view.runs) {
    const steps = Math.max(run.x.length, run.loss.length);
    for (let step = 0; step < steps; step++) {
      const point = run.x[step] ?? [];
      // Step sizes belong to updates: the row of step k carries update k (the one that produced x[k]).
      const sizes = step > 0 ? (run.stepSize?.[step - 1] ?? []) : [];
      const cells = [
        csvText(run.label),
        String(step),
        csvNumber(run.loss[step]),
        ...coordinates.map((_name, index) => csvNumber(point[index])),
      ];
      if (withStepSize) cells.push(...coordinates.map((_name, index) => csvNumber(sizes[index])));
      rows.push(cells.join(','));
    }
  }
  return rows.join('\n') + '\n';
}
