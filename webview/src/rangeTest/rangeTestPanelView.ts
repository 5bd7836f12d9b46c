// The LR range-test results view: loss and smoothed loss against a logarithmic learning-rate axis, the three
// suggestions with markers and Apply buttons, the backend that ran the test, its time and why it stopped, and
// PNG/SVG/CSV export.
//
// Invariant: the view never edits anything itself; Apply only asks the host, and the host's `applied` answer is
// what the status line shows.

import { fillList, legendItem, make, readoutPlot, swatch, type PlotDescription } from '../common/dom';
import uPlot from 'uplot';
import type {
  AppliedLearningRate,
  ApplyTarget,
  RangeTestPanelSnapshot,
  RangeTestSnapshot,
  RangeTestSuggestionKind,
} from '../protocol';
import { formatValue } from '../common/format';
import { withAlpha, type PlotTheme } from '../common/theme';
import {
  ChartPanelBase,
  chartFrame,
  plotAreaSize,
  readoutKeyTarget,
  titledChartPng,
  type ResultPanelChrome,
} from '../common/chartPanel';
import type { ExportFile } from '../common/webviewHost';
import { axisLabel, axisStyle, labelWidthSize, liveAxisOptions, positionAxis, valueAxis } from '../common/chartAxes';
import type { LiveAxis, LiveAxisChoice } from '../common/liveAxis';
import { exportBaseNameOf, lineChartSvg, type SvgVerticalMarker } from '../common/lineChartSvg';
import {
  SUGGESTION_KINDS,
  SUGGESTION_MARKER_LABELS,
  SUGGESTION_TITLES,
  failedBackendAttempts,
  formatSeconds,
  generalNotes,
  lossRange,
  missingSuggestionNote,
  proxyWarning,
  rangeTestCsv,
  runtimeText,
  stoppedText,
} from './rangeTestModel';
import { fileNameOf } from '../../../server/src/core/util/fileName';

export interface RangeTestPanelViewCallbacks {
  readonly apply: (lr: number, target: ApplyTarget) => void;
  readonly exportFile: ExportFile;
  readonly stateChanged: () => void;
}

/** A read-only window into the view for browser tests and the webview developer tools. */
export interface RangeTestDebugHandle {
  readonly chart: () => uPlot | null;
  readonly seriesLabels: () => string[];
  readonly markerLrs: () => { kind: string; lr: number }[];
  readonly readoutIndex: () => number | null;
  readonly theme: () => PlotTheme;
  /** What the live axes last chose (ticks, labels, tick targets), for comparing with the export. */
  readonly axisChoices: () => { x: LiveAxisChoice | null; y: LiveAxisChoice | null } | null;
}

interface Elements extends ResultPanelChrome {
  readonly summary: HTMLElement;
  readonly plotArea: HTMLElement;
  readonly plotHost: HTMLElement;
  readonly overlay: HTMLElement;
  readonly readout: HTMLElement;
  readonly suggestions: HTMLElement;
  /** The banner over a result measured on a synthetic proxy. */
  readonly proxy: HTMLElement;
  readonly legend: HTMLElement;
}

interface PlotMarker {
  readonly key: string;
  readonly lr: number;
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  /** The index of the smoothed point the marker sits on, when it has one. */
  readonly index: number | null;
}

const minimumPlotHeightCss = 160;
const plotDescription: PlotDescription = {
  roleDescription: 'range test plot',
  label: 'Loss against learning rate. Arrow keys move the readout; Home and End jump to the ends.',
};

export class RangeTestPanelView extends ChartPanelBase<RangeTestPanelViewCallbacks> {
  /** Built once, before the other fields are set: building reads none of them. */
  private readonly elements: Elements = this.buildDom();
  private view: RangeTestSnapshot | null = null;
  private applied: AppliedLearningRate | null = null;
  private chart: uPlot | null = null;
  /** The chart's axes on the core's ticks; they remember their last ticks for the export. */
  private axes: { x: LiveAxis; y: LiveAxis } | null = null;
  private readoutIndexValue: number | null = null;

  constructor(root: HTMLElement, callbacks: RangeTestPanelViewCallbacks) {
    super(root, callbacks);
    this.start(this.elements.plotArea);
  }

  // ---- State in and out ----

  applySnapshot(snapshot: RangeTestPanelSnapshot): void {
    if (snapshot.view?.uri !== this.view?.uri || snapshot.view?.lrs.length !== this.view?.lrs.length)
      this.readoutIndexValue = null;
    this.view = snapshot.view;
    this.applied = snapshot.applied;
    this.render();
  }

  setApplied(applied: AppliedLearningRate): void {
    this.applied = applied;
    // A successful apply changes the value the file has now; the marker moves with it.
    if (applied.ok && this.view !== null) this.view = { ...this.view, currentLr: applied.lr };
    this.render();
  }

  protected override statusLine(): HTMLElement {
    return this.elements.status;
  }

  snapshot(): RangeTestPanelSnapshot {
    return { view: this.view, applied: this.applied };
  }

  debugHandle(): RangeTestDebugHandle {
    return {
      chart: () => this.chart,
      axisChoices: () => (this.axes ? { x: this.axes.x.choice(), y: this.axes.y.choice() } : null),
      seriesLabels: () => (this.chart ? this.chart.series.slice(1).map((series) => String(series.label)) : []),
      markerLrs: () => this.markers().map((marker) => ({ kind: marker.key, lr: marker.lr })),
      readoutIndex: () => this.readoutIndexValue,
      theme: () => this.theme,
    };
  }

  // ---- DOM ----

  private buildDom(): Elements {
    return this.buildResultPanelDom(
      'range-test-panel',
      {
        drawing: 'the plot',
        csv: 'Export every iteration as CSV (iteration, lr, loss, smoothed)',
      },
      () => {
        const proxy = make('p', 'proxy-warning', this.root, { role: 'note' });
        proxy.hidden = true;
        const summary = make('dl', 'summary', this.root);
        const { plotArea, plotHost } = readoutPlot(this.root, plotDescription, {
          keydown: (event) => this.onKeyDown(event),
          focus: () => this.onPlotFocus(),
        });
        const overlay = make('div', 'overlay', plotArea, { role: 'status' });
        const readout = make('div', 'readout', this.root, { 'aria-live': 'polite' });
        const legend = make('div', 'legend', this.root, { 'aria-label': 'Legend' });
        const suggestions = make('section', 'suggestions', this.root, { 'aria-label': 'Suggested learning rates' });
        return { summary, plotArea, plotHost, overlay, readout, suggestions, legend, proxy };
      },
    );
  }

  protected override render(): void {
    this.renderChrome();
    this.rebuildChart();
    this.callbacks.stateChanged();
  }

  private renderChrome(): void {
    const { elements, view } = this;
    const file = view ? (view.fileName ?? fileNameOf(view.uri)) : '';
    elements.title.textContent = view
      ? `LR range test: ${file}${view.optimizerLabel ? `: ${view.optimizerLabel}` : ''}`
      : 'LR range test';
    elements.title.title = view?.uri ?? '';
    const warning = view ? proxyWarning(view) : null;
    elements.proxy.hidden = warning === null;
    elements.proxy.textContent = warning ?? '';
    for (const exportButton of Object.values(elements.exportButtons)) exportButton.disabled = view === null;
    elements.overlay.hidden = view !== null;
    elements.overlay.textContent =
      view === null ? 'Run “Optimizer Lens: Run LR Range Test” on an optimizer config to see its loss curve here.' : '';

    elements.summary.replaceChildren();
    if (view) {
      const entry = (term: string, description: string, className = ''): HTMLElement => {
        const group = document.createElement('div');
        group.className = `summary-item ${className}`.trim();
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = description;
        group.append(dt, dd);
        elements.summary.appendChild(group);
        return dd;
      };
      entry('Task', view.task);
      const backend = entry(view.runtime ? 'Ran on' : 'Backend', runtimeText(view), 'backend');
      const failed = failedBackendAttempts(view);
      if (failed.length > 0) {
        const fallback = document.createElement('span');
        fallback.className = 'fallback';
        fallback.textContent = ` — ${failed.join('; ')}`;
        backend.appendChild(fallback);
      }
      if (!view.running) entry('Time', formatSeconds(view.seconds));
      entry(
        view.running ? 'Progress' : 'Stopped',
        stoppedText(view),
        view.stopped === 'diverged' && !view.running ? 'diverged' : '',
      );
      if (view.currentLr !== undefined) entry(`Current ${view.applyTarget}`, formatValue(view.currentLr));
    }

    elements.legend.replaceChildren();
    if (view) {
      legendItem(elements.legend, 'loss', this.rawColor(), 'swatch faint');
      legendItem(elements.legend, 'smoothed', this.theme.lr, 'swatch solid');
    }

    elements.suggestions.replaceChildren();
    if (view && !view.running) {
      for (const kind of SUGGESTION_KINDS) elements.suggestions.appendChild(this.suggestionCard(view, kind));
    }
    fillList(elements.notes, view ? generalNotes(view) : []);
    if (this.applied) {
      const { lr, target, ok, message } = this.applied;
      // `message` names the value as written into the file (the host rounds it to three significant digits).
      elements.status.textContent = ok
        ? message || `Set ${target} = ${formatValue(lr)}.`
        : `Could not set ${target} = ${formatValue(lr)}: ${message}`;
      elements.status.classList.toggle('is-error', !ok);
    }
    this.renderReadout();
  }

  private suggestionCard(view: RangeTestSnapshot, kind: RangeTestSuggestionKind): HTMLElement {
    const suggestion = view.suggestions[kind];
    const card = document.createElement('div');
    card.className = suggestion ? 'suggestion' : 'suggestion missing';
    card.dataset.kind = kind;
    const heading = document.createElement('div');
    heading.className = 'suggestion-heading';
    const name = document.createElement('span');
    name.className = 'suggestion-name';
    name.textContent = SUGGESTION_TITLES[kind];
    heading.append(swatch(this.suggestionColor(kind), 'swatch solid'), name);
    card.appendChild(heading);
    if (!suggestion) {
      const note = document.createElement('p');
      note.className = 'suggestion-note';
      note.textContent = missingSuggestionNote(view, kind);
      card.appendChild(note);
      return card;
    }
    const value = document.createElement('span');
    value.className = 'suggestion-lr';
    value.textContent = formatValue(suggestion.lr, 3);
    heading.appendChild(value);
    const explanation = document.createElement('p');
    explanation.className = 'suggestion-explanation';
    explanation.textContent = suggestion.explanation;
    card.appendChild(explanation);
    const apply = document.createElement('button');
    apply.type = 'button';
    apply.className = 'control apply';
    // Apply writes three significant digits, so the file holds the suggestion as rounded that way.
    const alreadySet =
      view.currentLr !== undefined &&
      [suggestion.lr, Number(suggestion.lr.toPrecision(3))].some(
        (value) => Math.abs(view.currentLr! - value) <= Math.abs(value) * 1e-9,
      );
    apply.textContent = alreadySet ? 'Applied' : `Apply ${view.applyTarget} = ${formatValue(suggestion.lr, 3)}`;
    apply.disabled = alreadySet;
    apply.setAttribute(
      'aria-label',
      `Apply the ${SUGGESTION_TITLES[kind].toLowerCase()} suggestion: set ${view.applyTarget} to ${formatValue(suggestion.lr, 3)}`,
    );
    apply.title = `Write ${view.applyTarget}: ${suggestion.lr} into the config (undo with Ctrl+Z)`;
    apply.addEventListener('click', () => {
      this.elements.status.textContent = `Setting ${view.applyTarget} = ${formatValue(suggestion.lr, 3)}…`;
      this.elements.status.classList.remove('is-error');
      this.callbacks.apply(suggestion.lr, view.applyTarget);
    });
    card.appendChild(apply);
    return card;
  }

  private renderReadout(): void {
    const readout = this.elements.readout;
    const view = this.view;
    const index = this.readoutIndexValue;
    if (!view || index === null || index >= view.lrs.length) {
      readout.textContent = view ? 'Point at the plot, or focus it and use the arrow keys, to read values.' : '';
      readout.classList.add('idle');
      return;
    }
    readout.classList.remove('idle');
    readout.textContent = `iteration ${index + 1}   lr ${formatValue(view.lrs[index])}   loss ${formatValue(view.losses[index])}   smoothed ${formatValue(view.smoothed[index])}`;
  }

  // ---- Colours ----

  private rawColor(): string {
    return withAlpha(this.theme.foreground, this.theme.kind.startsWith('high-contrast') ? 0.55 : 0.38, this.scratch);
  }

  private suggestionColor(kind: RangeTestSuggestionKind): string {
    return kind === 'steepest' ? this.theme.beta1 : kind === 'valley' ? this.theme.pinned : this.theme.momentum;
  }

  private markers(): PlotMarker[] {
    const view = this.view;
    if (!view) return [];
    const markers: PlotMarker[] = [];
    for (const kind of SUGGESTION_KINDS) {
      const suggestion = view.suggestions[kind];
      if (!suggestion) continue;
      markers.push({
        key: kind,
        lr: suggestion.lr,
        label: SUGGESTION_MARKER_LABELS[kind],
        color: this.suggestionColor(kind),
        dashed: false,
        index: suggestion.index,
      });
    }
    if (view.currentLr !== undefined && view.currentLr > 0) {
      markers.push({
        key: 'current',
        lr: view.currentLr,
        label: `current ${view.applyTarget}`,
        color: this.theme.mutedForeground,
        dashed: true,
        index: null,
      });
    }
    if (view.stopped === 'diverged' && view.lrs.length > 0) {
      markers.push({
        key: 'diverged',
        lr: view.lrs[view.lrs.length - 1]!,
        label: 'diverged',
        color: this.theme.runEnd,
        dashed: true,
        index: null,
      });
    }
    return markers.sort((first, second) => first.lr - second.lr);
  }

  // ---- Chart ----

  private plotSize(): { width: number; height: number } {
    return plotAreaSize(this.elements.plotArea, 200, minimumPlotHeightCss);
  }

  protected override onResize(): void {
    const chart = this.chart;
    if (!chart) return;
    const size = this.plotSize();
    if (size.width !== chart.width || size.height !== chart.height) chart.setSize(size);
  }

  private chartData(view: RangeTestSnapshot): uPlot.AlignedData {
    // uPlot's log axis needs positive x; the ramp always is, but a malformed point must not break the chart.
    const keep = view.lrs.map((lr) => Number.isFinite(lr) && lr > 0);
    const column = (values: readonly (number | null)[]): (number | null)[] =>
      view.lrs
        .map((_lr, index) => {
          const value = values[index];
          return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
        })
        .filter((_value, index) => keep[index]);
    return [
      view.lrs.filter((_lr, index) => keep[index]),
      column(view.losses),
      column(view.smoothed),
    ] as uPlot.AlignedData;
  }

  private rebuildChart(): void {
    this.chart?.destroy();
    this.chart = null;
    this.axes = null;
    const view = this.view;
    if (!view || view.lrs.length === 0) return;
    const theme = this.theme;
    const size = this.plotSize();
    const style = axisStyle(theme, this.scratch, 0.85, 4);
    const labelSize = Math.ceil(theme.fontSizePx * 1.1 + 4);
    const range = lossRange(view);
    // The core's ticks and labels on both axes (as in the SVG export and the CLI); the lr axis spans the ramp.
    const xAxis = positionAxis(true, () => size.width - 60);
    const yAxis = valueAxis(false, () => size.height - 60, { extent: () => range });
    this.axes = { x: xAxis, y: yAxis };
    const options: uPlot.Options = {
      ...chartFrame(size, [22, 14, 0, 4]),
      scales: {
        x: { time: false, distr: 3, log: 10, range: (_chart, min, max) => [min ?? 1e-7, max ?? 10] },
        loss: { range: yAxis.range },
      },
      axes: [
        liveAxisOptions(xAxis, style, {
          scale: 'x',
          ...axisLabel('learning rate (log)', style, labelSize),
          size: Math.ceil(theme.fontSizePx * 1.1 + 14),
        }),
        liveAxisOptions(yAxis, style, {
          scale: 'loss',
          size: labelWidthSize(theme),
          ...axisLabel('loss', style, labelSize),
        }),
      ],
      series: [
        { label: 'lr' },
        { label: 'loss', scale: 'loss', stroke: this.rawColor(), width: 1, points: { show: false }, spanGaps: false },
        {
          label: 'smoothed',
          scale: 'loss',
          stroke: theme.lr,
          width: theme.lineWidth * 1.3,
          points: { show: false },
          spanGaps: false,
        },
      ],
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
      hooks: {
        setCursor: [(chart) => this.onCursorMoved(chart)],
        draw: [(chart) => this.drawMarkers(chart), () => this.countPaint()],
      },
    };
    this.chart = new uPlot(options, this.chartData(view), this.elements.plotHost);
  }

  /** Vertical lines at the suggestions, the current lr and the divergence, with a dot on the smoothed curve. */
  private drawMarkers(chart: uPlot): void {
    const view = this.view;
    if (!view) return;
    const pixelRatio = window.devicePixelRatio || 1;
    const { left, top, width, height } = chart.bbox;
    const context = chart.ctx;
    const fontPx = Math.max(10, Math.round(this.theme.fontSizePx * 0.8)) * pixelRatio;
    context.save();
    context.font = `${fontPx}px ${this.theme.fontFamily}`;
    context.textBaseline = 'top';
    const rowRightEdges = [-Infinity, -Infinity, -Infinity];
    for (const marker of this.markers()) {
      const x = Math.round(chart.valToPos(marker.lr, 'x', true)) + 0.5;
      if (!Number.isFinite(x) || x < left - 1 || x > left + width + 1) continue;
      context.strokeStyle = marker.color;
      context.lineWidth = (marker.dashed ? 1 : 1.5) * pixelRatio;
      context.setLineDash(marker.dashed ? [4 * pixelRatio, 3 * pixelRatio] : []);
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, top + height);
      context.stroke();
      context.setLineDash([]);
      // The dot marks the point of the smoothed curve the suggestion was read from; for minimum / 10 that is the
      // minimum itself, a decade to the right of the line, drawn as a ring.
      const smoothedValue = marker.index !== null ? view.smoothed[marker.index] : null;
      const readFrom = marker.index !== null ? view.lrs[marker.index] : undefined;
      if (
        smoothedValue !== null &&
        smoothedValue !== undefined &&
        Number.isFinite(smoothedValue) &&
        readFrom !== undefined
      ) {
        const dotX = chart.valToPos(readFrom, 'x', true);
        const y = chart.valToPos(smoothedValue, 'loss', true);
        const onLine = Math.abs(dotX - x) < 2 * pixelRatio;
        context.beginPath();
        context.arc(dotX, y, 4.5 * pixelRatio, 0, Math.PI * 2);
        if (onLine) {
          context.fillStyle = marker.color;
          context.fill();
          context.strokeStyle = this.theme.background;
          context.lineWidth = 1.5 * pixelRatio;
        } else {
          context.strokeStyle = marker.color;
          context.lineWidth = 2 * pixelRatio;
        }
        context.stroke();
      }
      // Labels sit in rows above the plot; a label that fits in no row is left out (its line stays).
      const label = `${marker.label} ${formatValue(marker.lr, 2)}`;
      const textWidth = context.measureText(label).width;
      const padding = 3 * pixelRatio;
      let textX = x + padding;
      if (textX + textWidth > left + width) textX = x - padding - textWidth;
      const row = rowRightEdges.findIndex((rightEdge) => textX > rightEdge + padding);
      if (row < 0) continue;
      rowRightEdges[row] = textX + textWidth;
      const textY = top + 2 * pixelRatio + row * (fontPx + 3 * pixelRatio);
      context.fillStyle = withAlpha(this.theme.background, 0.85, this.scratch);
      context.fillRect(textX - 2 * pixelRatio, textY - pixelRatio, textWidth + 4 * pixelRatio, fontPx + 2 * pixelRatio);
      context.fillStyle = marker.color;
      context.fillText(label, textX, textY);
    }
    context.restore();
  }

  private onCursorMoved(chart: uPlot): void {
    if (chart !== this.chart) return;
    const index = chart.cursor.idx;
    if (index === null || index === undefined) return;
    this.readoutIndexValue = index;
    this.renderReadout();
  }

  private moveReadoutTo(index: number): void {
    const view = this.view;
    const chart = this.chart;
    if (!view || !chart || view.lrs.length === 0) return;
    const clamped = Math.min(Math.max(0, index), view.lrs.length - 1);
    this.readoutIndexValue = clamped;
    const value = view.smoothed[clamped];
    const top =
      value !== null && value !== undefined && Number.isFinite(value)
        ? chart.valToPos(value, 'loss')
        : chart.bbox.height / 2 / (window.devicePixelRatio || 1);
    chart.setCursor({ left: chart.valToPos(view.lrs[clamped]!, 'x'), top }, false);
    this.renderReadout();
  }

  /** Focusing the plot shows the readout, at the first point, when none is shown. */
  private onPlotFocus(): void {
    if (this.readoutIndexValue === null && this.view) this.moveReadoutTo(0);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const view = this.view;
    if (!view) return;
    const target = readoutKeyTarget(
      event.key,
      this.readoutIndexValue ?? 0,
      event.shiftKey ? 10 : 1,
      0,
      view.lrs.length - 1,
    );
    if (target === null) return;
    this.moveReadoutTo(target);
    event.preventDefault();
  }

  // ---- Export ----

  protected override exportSource(): { baseName: string; csv: () => string } | null {
    const view = this.view;
    return view ? { baseName: exportBaseNameOf(view.uri, 'range-test'), csv: () => rangeTestCsv(view) } : null;
  }

  /** The chart canvas (curves and markers) on the editor background, under a title line. */
  override pngDataUrl(): string | null {
    const chart = this.chart;
    if (!chart) return null;
    return titledChartPng(chart.ctx.canvas, this.elements.title.textContent ?? 'LR range test', this.theme);
  }

  override svgText(): string {
    const view = this.view;
    const chart = this.chart;
    if (!view || !chart) return '';
    const data = chart.data;
    const xs = data[0] as number[];
    const range = lossRange(view);
    const markers: SvgVerticalMarker[] = this.markers().map((marker) => ({
      x: marker.lr,
      label: `${marker.label} ${formatValue(marker.lr, 2)}`,
      color: marker.color,
      dashed: marker.dashed,
    }));
    return lineChartSvg({
      width: Math.max(480, Math.round(chart.width)),
      height: Math.max(280, Math.round(chart.height) + 44),
      title: this.elements.title.textContent ?? 'LR range test',
      theme: this.theme,
      x: { label: 'learning rate (log)', log: true, min: xs[0] ?? 1e-7, max: xs[xs.length - 1] ?? 10 },
      y: { label: 'loss', log: false, min: range.min, max: range.max },
      series: [
        { label: 'loss', xs, ys: data[1] as (number | null)[], color: this.rawColor(), width: 1 },
        {
          label: 'smoothed',
          xs,
          ys: data[2] as (number | null)[],
          color: this.theme.lr,
          width: this.theme.lineWidth * 1.3,
        },
      ],
      markers,
      ...(this.axes?.x.choice() ? { xTickCount: this.axes.x.choice()!.target } : {}),
      ...(this.axes?.y.choice() ? { yTickCount: this.axes.y.choice()!.target } : {}),
    });
  }
}
