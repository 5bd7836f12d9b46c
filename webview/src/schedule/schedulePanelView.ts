// The schedule panel's DOM and uPlot chart: LR against step, momentum/beta1 on a right axis, markers, the run end,
// a pinned overlay, log/linear y, zoom and pan, a pointer and keyboard readout, and PNG/SVG/CSV export.
//
// Invariant: uPlot only ever receives decimated data for the visible step range (see `decimate.ts`); the readout
// and the CSV read the full arrays, so what the user reads is exact even when the drawing is decimated.

import { button, legendItem, make, panelHeader, readoutPlot, swatch, type PlotDescription } from '../common/dom';
import uPlot from 'uplot';
import { parseMetricList, type ExportFormat, type SchedulePanelSnapshot, type ScheduleSnapshot } from '../protocol';
import { layoutMarkerLabels } from './markerLayout';
import { decimateMinMax } from './decimate';
import { formatStep, formatValue } from '../common/format';
import { isEndMarker, scheduleMarkers } from '../../../server/src/core/plot/scheduleSpec';
import { fileNameOf } from '../../../server/src/core/util/fileName';
import { exportBaseName, plottedSeriesOf, scheduleCsv, type PlottedSeries } from './seriesModel';
import { scheduleSvg, type SvgMarker } from './svgExport';
import { withAlpha, type PlotTheme } from '../common/theme';
import { ChartPanelBase, chartFrame, plotAreaSize, readoutKeyTarget, titledChartPng } from '../common/chartPanel';
import type { ExportFile } from '../common/webviewHost';
import { axisLabel, axisStyle, labelWidthSize, liveAxisOptions, positionAxis, valueAxis } from '../common/chartAxes';
import type { LiveAxis, LiveAxisChoice } from '../common/liveAxis';

export interface StepRange {
  readonly min: number;
  readonly max: number;
}

/** What the view asks of its owner; `main.ts` turns these into messages to the host and `setState` calls. */
export interface SchedulePanelViewCallbacks {
  readonly pin: () => void;
  readonly unpin: () => void;
  /** The user gave the metric series of a metric-driven schedule (ReduceLROnPlateau). */
  readonly setMetrics: (metrics: readonly number[]) => void;
  readonly exportFile: ExportFile;
  readonly uiChanged: () => void;
}

/** A read-only window into the view for browser tests and for debugging from the webview developer tools. */
export interface SchedulePanelDebugHandle {
  readonly chart: () => uPlot | null;
  readonly seriesLabels: () => string[];
  readonly seriesStrokes: () => string[];
  readonly readoutStep: () => number | null;
  readonly view: () => StepRange | null;
  readonly lastPaintMs: () => number | null;
  readonly theme: () => PlotTheme;
  /** The marker labels as last drawn, in CSS pixels of the plot canvas. */
  readonly markerLabels: () => MarkerLabelBox[];
  /** What the live axes last chose (ticks, labels, tick targets), for comparing with the export. */
  readonly axisChoices: () => {
    x: LiveAxisChoice | null;
    lr: LiveAxisChoice | null;
    momentum: LiveAxisChoice | null;
  } | null;
}

export interface MarkerLabelBox {
  readonly text: string;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** The canvas size the box must stay inside. */
  readonly canvasWidth: number;
  readonly canvasHeight: number;
}

interface ViewElements {
  readonly title: HTMLElement;
  readonly logButton: HTMLButtonElement;
  readonly resetButton: HTMLButtonElement;
  readonly pinButton: HTMLButtonElement;
  readonly pinnedInfo: HTMLElement;
  readonly pinnedText: HTMLElement;
  readonly compareButton: HTMLButtonElement;
  readonly dropButton: HTMLButtonElement;
  readonly metricsForm: HTMLFormElement;
  readonly metricsInput: HTMLInputElement;
  readonly metricsStatus: HTMLElement;
  readonly exportButtons: Record<ExportFormat, HTMLButtonElement>;
  readonly warnings: HTMLElement;
  readonly plotArea: HTMLElement;
  readonly plotHost: HTMLElement;
  readonly overlay: HTMLElement;
  readonly readout: HTMLElement;
  readonly legend: HTMLElement;
  readonly status: HTMLElement;
}

const pinnedDashCss = [6, 4] as const;
const markerDashCss = [4, 3] as const;
const minimumPlotHeightCss = 120;
const plotDescription: PlotDescription = {
  roleDescription: 'schedule plot',
  label: 'Learning-rate schedule. Arrow keys move the readout, plus and minus zoom, 0 resets.',
};

/** Pinned series are drawn dashed. */
function swatchClassOf(series: PlottedSeries): string {
  return series.pinned ? 'swatch dashed' : 'swatch';
}

export class SchedulePanelView extends ChartPanelBase<SchedulePanelViewCallbacks> {
  /** Built once, before the other fields are set: building reads none of them. */
  private readonly elements: ViewElements = this.buildDom();
  private schedule: ScheduleSnapshot | null = null;
  private pinned: ScheduleSnapshot | null = null;
  /**
   * The document on which the user asked to compare with a pin from another file. A pin is drawn on its own file,
   * and on another file only once asked there: it never follows the user into another file's plot unasked.
   */
  private compareOn: string | null = null;
  private error: string | null = null;
  private labelBoxes: MarkerLabelBox[] = [];
  private logScale = false;
  private view: StepRange | null = null;
  private chart: uPlot | null = null;
  /** The chart's axes on the core's ticks; they remember their last ticks for the export. */
  private axes: { x: LiveAxis; lr: LiveAxis; momentum: LiveAxis } | null = null;
  private plotted: PlottedSeries[] = [];
  private decimatedSteps: number[] = [];
  private decimatedWindow: { readonly from: number; readonly to: number; readonly buckets: number } | null = null;
  private readoutStepValue: number | null = null;
  /** True while the readout was placed by the keyboard; a real mouse move hands it back to the pointer. */
  private readoutFromKeyboard = false;
  private paintRequestedAt: number | null = null;
  private lastPaint: number | null = null;

  constructor(root: HTMLElement, callbacks: SchedulePanelViewCallbacks) {
    super(root, callbacks);
    this.start(this.elements.plotArea, () => this.renderChrome());
  }

  // ---- State in ----

  applySnapshot(snapshot: SchedulePanelSnapshot): void {
    if (this.schedule !== null && snapshot.schedule !== null && this.schedule.uri !== snapshot.schedule.uri)
      this.view = null;
    this.schedule = snapshot.schedule;
    this.pinned = snapshot.pinned;
    this.error = snapshot.error;
    this.clampViewToData();
    this.render();
  }

  setSchedule(schedule: ScheduleSnapshot): void {
    const switchedDocument = this.schedule !== null && this.schedule.uri !== schedule.uri;
    this.schedule = schedule;
    this.error = null;
    if (switchedDocument) this.view = null;
    this.clampViewToData();
    this.render();
  }

  setError(message: string): void {
    this.error = message;
    this.renderChrome();
    this.callbacks.uiChanged();
  }

  setPinned(pinned: ScheduleSnapshot | null): void {
    this.pinned = pinned;
    this.render();
  }

  protected override statusLine(): HTMLElement {
    return this.elements.status;
  }

  restoreUi(logScale: boolean, view: StepRange | null): void {
    this.logScale = logScale;
    this.view = view;
    this.clampViewToData();
    this.render();
  }

  // ---- State out ----

  uiState(): { readonly logScale: boolean; readonly view: StepRange | null } {
    return { logScale: this.logScale, view: this.view };
  }

  snapshot(): SchedulePanelSnapshot {
    return { schedule: this.schedule, pinned: this.pinned, error: this.error };
  }

  debugHandle(): SchedulePanelDebugHandle {
    return {
      chart: () => this.chart,
      seriesLabels: () => this.plotted.map((series) => series.label),
      seriesStrokes: () => this.plotted.map((series) => this.colorOf(series)),
      readoutStep: () => this.readoutStepValue,
      view: () => this.view,
      lastPaintMs: () => this.lastPaint,
      theme: () => this.theme,
      markerLabels: () => this.labelBoxes,
      axisChoices: () =>
        this.axes
          ? { x: this.axes.x.choice(), lr: this.axes.lr.choice(), momentum: this.axes.momentum.choice() }
          : null,
    };
  }

  // ---- DOM ----

  private buildDom(): ViewElements {
    const { header, title } = panelHeader(this.root, 'schedule-panel');
    const controls = make('div', 'controls', header, { role: 'toolbar', 'aria-label': 'Schedule plot controls' });
    const logButton = button(controls, 'Log y', 'Toggle a logarithmic learning-rate axis', () => this.toggleLogScale());
    const resetButton = button(controls, 'Reset zoom', 'Show the whole schedule (or double-click the plot)', () =>
      this.resetZoom(),
    );
    const pinButton = button(controls, 'Pin', 'Pin this schedule and compare it with your next edits', () =>
      this.pinnedHere() ? this.callbacks.unpin() : this.callbacks.pin(),
    );
    const buttons = this.addExportButtons(controls, {
      drawing: 'the plot',
      csv: 'Export every step as CSV (step, lr, momentum, betas)',
    });

    // The pinned curve says which file it is from; on another file it is drawn only when asked, and can be dropped.
    const pinnedInfo = make('div', 'pinned-info', this.root, { role: 'status' });
    pinnedInfo.hidden = true;
    const pinnedText = make('span', 'pinned-text', pinnedInfo);
    const compareButton = button(
      pinnedInfo,
      'Compare here',
      'Draw the pinned schedule of the other file on this plot',
      () => this.toggleCompare(),
    );
    const dropButton = button(pinnedInfo, 'Drop pin', 'Forget the pinned schedule', () => this.callbacks.unpin());

    // ReduceLROnPlateau is drawn from the metric series the user gives here.
    const metricsForm = make('form', 'metrics', this.root);
    metricsForm.hidden = true;
    const metricsLabel = make('label', 'metrics-label', metricsForm);
    metricsLabel.textContent = 'Metric per scheduler step (e.g. validation loss per epoch):';
    const metricsInput = make('input', 'metrics-input', metricsForm);
    metricsInput.type = 'text';
    metricsInput.id = 'metrics-input';
    metricsInput.placeholder = '1.0, 0.9, 0.9, 0.9, 0.8';
    metricsInput.spellcheck = false;
    metricsLabel.htmlFor = metricsInput.id;
    const drawButton = make('button', 'control', metricsForm);
    drawButton.type = 'submit';
    drawButton.textContent = 'Draw';
    drawButton.title = 'Draw the schedule from these metric values';
    const metricsStatus = make('span', 'metrics-status', metricsForm, { role: 'alert' });
    metricsForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitMetrics();
    });

    const warnings = make('div', 'warnings', this.root, { role: 'status' });
    const { plotArea, plotHost } = readoutPlot(this.root, plotDescription, {
      keydown: (event) => this.onKeyDown(event),
      focus: () => this.onPlotFocus(),
    });
    plotHost.addEventListener('mousedown', (event) => this.onPanStart(event), { capture: true });
    plotHost.addEventListener('mousemove', () => {
      this.readoutFromKeyboard = false;
    });
    const overlay = make('div', 'overlay', plotArea, { role: 'alert' });
    overlay.hidden = true;
    const readout = make('div', 'readout', this.root, { 'aria-live': 'polite' });
    const footer = make('footer', 'footer', this.root);
    const legend = make('div', 'legend', footer, { 'aria-label': 'Legend' });
    const status = make('div', 'status', footer, { role: 'status' });
    const hint = make('p', 'hint', this.root);
    hint.textContent = 'Drag to zoom · Shift+drag to pan · double-click to reset · arrows move the readout';
    return {
      title,
      logButton,
      resetButton,
      pinButton,
      pinnedInfo,
      pinnedText,
      compareButton,
      dropButton,
      metricsForm,
      metricsInput,
      metricsStatus,
      exportButtons: buttons,
      warnings,
      plotArea,
      plotHost,
      overlay,
      readout,
      legend,
      status,
    };
  }

  /** Everything outside the canvas: title, toggles, warnings, the error overlay, the legend and the readout. */
  private renderChrome(): void {
    const { elements } = this;
    const schedule = this.schedule;
    elements.title.textContent = schedule ? schedule.title : 'Learning-rate schedule';
    elements.title.title = schedule ? schedule.uri : '';
    elements.logButton.setAttribute('aria-pressed', String(this.logScale));
    const pinnedHere = this.pinnedHere();
    elements.pinButton.setAttribute('aria-pressed', String(pinnedHere));
    elements.pinButton.textContent = pinnedHere ? 'Unpin' : 'Pin';
    elements.pinButton.title = pinnedHere
      ? 'Forget the pinned schedule'
      : this.pinned
        ? 'Pin this schedule instead of the one pinned from another file'
        : 'Pin this schedule and compare it with your next edits';
    elements.pinButton.disabled = !pinnedHere && (schedule === null || schedule.lr.length === 0);
    this.renderPinnedInfo();
    this.renderMetricsForm();
    elements.resetButton.disabled = this.view === null;
    for (const exportButton of Object.values(elements.exportButtons)) exportButton.disabled = schedule === null;

    elements.warnings.replaceChildren();
    for (const message of schedule?.errors ?? []) {
      const line = document.createElement('div');
      line.className = 'warning';
      line.textContent = message;
      elements.warnings.appendChild(line);
    }

    const waitingForMetrics = schedule !== null && schedule.needsMetrics === true && schedule.lr.length === 0;
    const message =
      this.error ??
      (schedule === null
        ? 'Open an optimizer config with a scheduler to see its schedule.'
        : waitingForMetrics
          ? `${schedule.title} lowers the lr when the monitored metric stops improving: type your metric values above (one per scheduler step) to draw it.`
          : null);
    elements.overlay.hidden = message === null;
    elements.overlay.textContent = message ?? '';
    elements.overlay.classList.toggle('is-error', this.error !== null);
    elements.plotArea.classList.toggle('stale', this.error !== null);

    elements.legend.replaceChildren();
    for (const series of this.plotted) {
      const item = legendItem(elements.legend, series.label, this.colorOf(series), swatchClassOf(series));
      item.dataset.series = series.key;
      item.title = series.axis === 'momentum' ? 'Right axis' : 'Left axis';
    }
    this.renderReadout();
  }

  /** True when the pinned schedule is this document's own (drawn without asking). */
  private pinnedHere(): boolean {
    return this.pinned !== null && this.schedule !== null && this.pinned.uri === this.schedule.uri;
  }

  /** The pinned schedule to draw on the current plot, or null: its own file, or another file where asked. */
  private pinnedToDraw(): ScheduleSnapshot | null {
    if (this.pinned === null) return null;
    if (this.pinnedHere()) return this.pinned;
    return this.compareOn !== null && this.compareOn === this.schedule?.uri ? this.pinned : null;
  }

  private renderPinnedInfo(): void {
    const { pinnedInfo, pinnedText, compareButton, dropButton } = this.elements;
    const pinned = this.pinned;
    pinnedInfo.hidden = pinned === null;
    if (pinned === null) return;
    const fromHere = this.pinnedHere();
    const drawn = this.pinnedToDraw() !== null;
    pinnedText.textContent = `Pinned${drawn ? ' (dashed)' : ''}: ${fileNameOf(pinned.uri)}: ${pinned.title}${fromHere ? ` (version ${pinned.version})` : drawn ? '' : ' (another file; not drawn here)'}`;
    pinnedText.title = pinned.uri;
    compareButton.hidden = fromHere;
    compareButton.textContent = drawn ? 'Hide here' : 'Compare here';
    compareButton.setAttribute('aria-pressed', String(drawn));
    dropButton.hidden = fromHere;
  }

  private toggleCompare(): void {
    const uri = this.schedule?.uri ?? null;
    this.compareOn = this.compareOn !== null && this.compareOn === uri ? null : uri;
    this.render();
  }

  private renderMetricsForm(): void {
    const { metricsForm, metricsInput } = this.elements;
    const schedule = this.schedule;
    metricsForm.hidden = schedule === null || schedule.needsMetrics !== true;
    // The field shows the values the plot was drawn from, unless the user is typing in it.
    if (schedule?.metrics && document.activeElement !== metricsInput) metricsInput.value = schedule.metrics.join(', ');
  }

  private submitMetrics(): void {
    const { metricsInput, metricsStatus } = this.elements;
    const parsed = parseMetricList(metricsInput.value);
    if ('error' in parsed) {
      metricsStatus.textContent = parsed.error;
      metricsInput.setAttribute('aria-invalid', 'true');
      return;
    }
    metricsInput.removeAttribute('aria-invalid');
    metricsStatus.textContent =
      parsed.values.length === 0
        ? 'Cleared.'
        : `Drawing from ${parsed.values.length} value${parsed.values.length === 1 ? '' : 's'}…`;
    this.callbacks.setMetrics(parsed.values);
  }

  private renderReadout(): void {
    const readout = this.elements.readout;
    const step = this.readoutStepValue;
    readout.replaceChildren();
    if (step === null || this.plotted.length === 0) {
      readout.textContent =
        this.plotted.length === 0 ? '' : 'Point at the plot, or focus it and use the arrow keys, to read values.';
      readout.classList.add('idle');
      return;
    }
    readout.classList.remove('idle');
    const stepPart = document.createElement('span');
    stepPart.className = 'readout-step';
    stepPart.textContent = `step ${formatStep(step)}`;
    readout.appendChild(stepPart);
    for (const series of this.plotted) {
      const value = step < series.values.length ? series.values[step] : undefined;
      const part = make('span', 'readout-value', readout);
      part.dataset.series = series.key;
      part.append(
        swatch(this.colorOf(series), swatchClassOf(series)),
        document.createTextNode(`${series.label} ${formatValue(value)}`),
      );
    }
    const phase = this.phaseAt(step);
    if (phase !== null) {
      const phasePart = document.createElement('span');
      phasePart.className = 'readout-phase';
      phasePart.textContent = phase;
      readout.appendChild(phasePart);
    }
  }

  /** The label of the last marker at or before `step`, to say which phase the readout is in. */
  private phaseAt(step: number): string | null {
    let label: string | null = null;
    let labelStep = -Infinity;
    for (const marker of this.schedule?.markers ?? []) {
      if (marker.step <= step && marker.step >= labelStep) {
        label = marker.label;
        labelStep = marker.step;
      }
    }
    return label === null ? null : `after ${label}`;
  }

  private colorOf(series: PlottedSeries): string {
    if (series.pinned)
      return series.axis === 'lr' ? this.theme.pinned : withAlpha(this.theme.pinned, 0.6, this.scratch);
    if (series.key === 'momentum') return this.theme.momentum;
    if (series.key === 'beta1') return this.theme.beta1;
    return this.theme.lr;
  }

  // ---- Chart ----

  private stepCount(): number {
    return this.plotted.reduce((longest, series) => Math.max(longest, series.values.length), 0);
  }

  private clampViewToData(): void {
    const count = Math.max(this.schedule?.lr.length ?? 0, this.pinnedToDraw()?.lr.length ?? 0);
    if (this.view === null || count === 0) return;
    const max = Math.min(this.view.max, count - 1);
    const min = Math.max(0, Math.min(this.view.min, max - 1));
    this.view = max - min >= 1 ? { min, max } : null;
  }

  private visibleRange(): StepRange | null {
    const count = this.stepCount();
    if (count === 0) return null;
    return this.view ?? { min: 0, max: this.lastPlottedStep() };
  }

  /** The last step of the x axis: the data's, or the run length from `training:` when that is further. */
  private lastPlottedStep(): number {
    return Math.max(1, this.stepCount() - 1, this.schedule?.totalSteps ?? 0);
  }

  private plotSize(): { width: number; height: number } {
    return plotAreaSize(this.elements.plotArea, 160, minimumPlotHeightCss);
  }

  /** Decimated uPlot data for `range` at the current plot width, with non-positive LR dropped on a log axis. */
  private dataFor(range: StepRange, width: number): uPlot.AlignedData {
    const buckets = Math.max(1, Math.round(width * (window.devicePixelRatio || 1)));
    const decimated = decimateMinMax(
      this.plotted.map((series) => series.values),
      { fromStep: range.min, toStep: range.max, buckets },
    );
    this.decimatedSteps = decimated.steps;
    this.decimatedWindow = { from: range.min, to: range.max, buckets };
    const columns = decimated.columns.map((column, index) =>
      this.logScale && this.plotted[index]!.axis === 'lr'
        ? column.map((value) => (value !== null && value > 0 ? value : null))
        : column,
    );
    return [decimated.steps, ...columns] as uPlot.AlignedData;
  }

  /** Recreates the chart; cheap enough for data, theme and log toggles, and simpler than patching uPlot options. */
  protected override render(): void {
    // Every rebuild is timed and announced once painted, so that tests wait for paints instead of sleeping.
    this.paintRequestedAt = performance.now();
    this.chart?.destroy();
    this.chart = null;
    this.plotted = plottedSeriesOf(this.schedule, this.pinnedToDraw());
    const range = this.visibleRange();
    if (this.readoutStepValue !== null && this.readoutStepValue >= this.stepCount()) this.readoutStepValue = null;
    this.renderChrome();
    if (range === null) {
      this.paintRequestedAt = null;
      return;
    }
    const size = this.plotSize();
    const data = this.dataFor(range, size.width);
    this.chart = new uPlot(this.chartOptions(size), data, this.elements.plotHost);
    this.callbacks.uiChanged();
  }

  private chartOptions(size: { width: number; height: number }): uPlot.Options {
    const theme = this.theme;
    const pixelRatio = window.devicePixelRatio || 1;
    const style = axisStyle(theme, this.scratch, 0.85, 4);
    const labelSize = Math.ceil(theme.fontSizePx * 1.1 + 4);
    const hasRightAxis = this.plotted.some((series) => series.axis === 'momentum');
    const axisSize = labelWidthSize(theme);
    // The core's ranges, ticks and labels (as in the SVG export and `optlens schedule`), at the core's density.
    const xAxis = positionAxis(false, () => size.width - 120);
    const lrAxis = valueAxis(this.logScale, () => size.height - 60, { zeroFloor: true });
    const momentumAxis = valueAxis(false, () => size.height - 60);
    this.axes = { x: xAxis, lr: lrAxis, momentum: momentumAxis };

    const axes: uPlot.Axis[] = [
      liveAxisOptions(xAxis, style, { scale: 'x', size: Math.ceil(theme.fontSizePx * 1.1 + 14) }),
      liveAxisOptions(lrAxis, style, { scale: 'lr', size: axisSize, ...axisLabel('learning rate', style, labelSize) }),
    ];
    if (hasRightAxis) {
      const momentumLabels = this.plotted
        .filter((series) => series.axis === 'momentum' && !series.pinned)
        .map((series) => series.label);
      axes.push(
        liveAxisOptions(momentumAxis, style, {
          scale: 'momentum',
          side: 1,
          grid: { show: false },
          size: axisSize,
          ...axisLabel([...new Set(momentumLabels)].join(', '), style, labelSize),
        }),
      );
    }

    const series: uPlot.Series[] = [
      { label: 'step' },
      ...this.plotted.map((plotted): uPlot.Series => ({
        label: plotted.label,
        scale: plotted.axis,
        stroke: this.colorOf(plotted),
        width: plotted.pinned ? theme.lineWidth * 0.9 : theme.lineWidth,
        ...(plotted.pinned ? { dash: pinnedDashCss.map((length) => length * pixelRatio) } : {}),
        points: { show: false },
        spanGaps: false,
      })),
    ];

    return {
      ...chartFrame(size, [18, hasRightAxis ? 4 : 14, 0, 4]),
      scales: {
        // A view that reaches the last sample also shows the run end, when the run is longer than the data.
        x: {
          time: false,
          range: (_chart, min, max) => [min, max >= this.stepCount() - 1 ? Math.max(max, this.lastPlottedStep()) : max],
        },
        lr: this.logScale ? { distr: 3, log: 10, range: lrAxis.range } : { range: lrAxis.range },
        momentum: { range: momentumAxis.range },
      },
      axes,
      series,
      cursor: {
        drag: { x: true, y: false, setScale: true },
        points: { show: false },
        y: false,
        x: true,
      },
      hooks: {
        setScale: [(chart, key) => this.onSetScale(chart, key)],
        setCursor: [(chart) => this.onCursorMoved(chart)],
        draw: [(chart) => this.drawMarkers(chart), () => this.syncKeyboardCursor(), () => this.onPainted()],
      },
    };
  }

  private onPainted(): void {
    if (this.paintRequestedAt === null) return;
    this.lastPaint = performance.now() - this.paintRequestedAt;
    this.paintRequestedAt = null;
    this.countPaint();
    this.root.dispatchEvent(new CustomEvent('schedule-painted', { bubbles: true, detail: { ms: this.lastPaint } }));
  }

  /** Zoom, pan and reset all arrive here; the visible range is decimated again at the current width. */
  private onSetScale(chart: uPlot, key: string): void {
    if (key !== 'x' || chart !== this.chart) return;
    const min = chart.scales.x!.min;
    const max = chart.scales.x!.max;
    if (min === undefined || max === undefined || min === null || max === null) return;
    const wholeSchedule = min <= 0 && max >= this.lastPlottedStep();
    this.view = wholeSchedule ? null : { min, max };
    this.elements.resetButton.disabled = this.view === null;
    const width = chart.bbox.width / (window.devicePixelRatio || 1);
    const buckets = Math.max(1, Math.round(width * (window.devicePixelRatio || 1)));
    const current = this.decimatedWindow;
    if (current && current.from === min && current.to === max && current.buckets === buckets) return;
    // Replacing the data without resetting the scales, then setting x again, makes uPlot re-range the y axes
    // over the visible samples only; the second `setScale` call finds the window unchanged and stops here.
    chart.setData(this.dataFor({ min, max }, width), false);
    chart.setScale('x', { min, max });
    this.callbacks.uiChanged();
  }

  protected override onResize(): void {
    const chart = this.chart;
    if (!chart) return;
    const size = this.plotSize();
    if (size.width === chart.width && size.height === chart.height) return;
    chart.setSize(size);
    const range = this.visibleRange();
    if (range) {
      chart.setData(this.dataFor(range, size.width), false);
      chart.setScale('x', range);
    }
  }

  /** Vertical lines with labels where phases change, and a line at the run length from `training:`. */
  private drawMarkers(chart: uPlot): void {
    const schedule = this.schedule;
    if (!schedule) return;
    const theme = this.theme;
    const pixelRatio = window.devicePixelRatio || 1;
    const { top, height } = chart.bbox;
    const xMin = chart.scales.x!.min ?? 0;
    const xMax = chart.scales.x!.max ?? 0;
    const lines = this.markerLines(schedule);
    const context = chart.ctx;
    const fontPx = Math.max(10, Math.round(theme.fontSizePx * 0.8)) * pixelRatio;
    context.save();
    context.font = `${fontPx}px ${theme.fontFamily}`;
    context.textBaseline = 'top';
    const padding = 3 * pixelRatio;
    const rowHeight = fontPx + 3 * pixelRatio;
    const visible = lines.filter((line) => line.step >= xMin && line.step <= xMax);
    const anchors = visible.map((line) => Math.round(chart.valToPos(line.step, 'x', true)) + 0.5);
    // Every label is placed, inside the canvas, beside its line, in as many rows as needed: never clipped, never
    // drawn over another. The first row sits in the band above the plot, the others inside it, each on a backing.
    const canvasWidth = context.canvas.width;
    const placed = layoutMarkerLabels(
      visible.map((line, index) => ({ anchor: anchors[index]!, width: context.measureText(line.label).width })),
      { left: 2 * pixelRatio, right: canvasWidth - 2 * pixelRatio },
      padding,
    );
    visible.forEach((line, index) => {
      const x = anchors[index]!;
      context.strokeStyle = line.color;
      context.lineWidth = pixelRatio;
      context.setLineDash(line.dashed ? markerDashCss.map((length) => length * pixelRatio) : []);
      context.globalAlpha = 0.85;
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, top + height);
      context.stroke();
      context.globalAlpha = 1;
    });
    context.setLineDash([]);
    const boxes: MarkerLabelBox[] = [];
    visible.forEach((line, index) => {
      const { x: textX, row } = placed[index]!;
      const textWidth = context.measureText(line.label).width;
      const textY =
        Math.max(pixelRatio, top - fontPx - 4 * pixelRatio) + row * rowHeight + (row > 0 ? 6 * pixelRatio : 0);
      context.fillStyle = withAlpha(theme.background, 0.85, this.scratch);
      context.fillRect(textX - 2 * pixelRatio, textY - pixelRatio, textWidth + 4 * pixelRatio, fontPx + 2 * pixelRatio);
      context.fillStyle = line.color;
      context.fillText(line.label, textX, textY);
      boxes.push({
        text: line.label,
        left: textX / pixelRatio,
        top: textY / pixelRatio,
        width: textWidth / pixelRatio,
        height: fontPx / pixelRatio,
        canvasWidth: canvasWidth / pixelRatio,
        canvasHeight: context.canvas.height / pixelRatio,
      });
    });
    this.labelBoxes = boxes;
    context.restore();
  }

  /** The core's markers for the schedule (its own and the run end, labelled there), in step order for the layout. */
  private markerLines(schedule: ScheduleSnapshot): SvgMarker[] {
    const lines: SvgMarker[] = scheduleMarkers(schedule).map((marker) => ({
      step: marker.step,
      label: marker.label,
      // The end of the schedule or the run is drawn solid in the error colour; phase markers dashed.
      color: isEndMarker(marker.kind) ? this.theme.runEnd : this.theme.marker,
      dashed: !isEndMarker(marker.kind),
    }));
    return lines.sort((first, second) => first.step - second.step);
  }

  // ---- Readout and keyboard ----

  private onCursorMoved(chart: uPlot): void {
    if (chart !== this.chart || this.readoutFromKeyboard) return;
    const left = chart.cursor.left;
    if (left === undefined || left === null || left < 0) return;
    const step = Math.round(chart.posToVal(left, 'x'));
    this.readoutStepValue = Math.min(Math.max(0, step), Math.max(0, this.stepCount() - 1));
    this.renderReadout();
  }

  private moveReadoutTo(step: number): void {
    const chart = this.chart;
    const count = this.stepCount();
    if (!chart || count === 0) return;
    const clamped = Math.min(Math.max(0, Math.round(step)), count - 1);
    const range = this.visibleRange()!;
    this.readoutStepValue = clamped;
    this.readoutFromKeyboard = true;
    if (clamped < range.min || clamped > range.max) {
      // Moving the readout past an edge pans the view so the readout stays visible; the cursor line follows
      // when the panned plot is drawn (see `syncKeyboardCursor`).
      const span = range.max - range.min;
      const min = Math.max(0, clamped < range.min ? clamped : clamped - span);
      chart.setScale('x', { min, max: min + span });
    } else {
      this.syncKeyboardCursor();
    }
    this.renderReadout();
  }

  /** Puts uPlot's cursor line on the keyboard readout step without letting the hook read a step back from pixels. */
  private syncKeyboardCursor(): void {
    const chart = this.chart;
    const step = this.readoutStepValue;
    if (!chart || step === null || !this.readoutFromKeyboard) return;
    const value = this.plotted[0]?.values[step];
    const drawable = value !== undefined && Number.isFinite(value) && (!this.logScale || value > 0);
    const top = drawable ? chart.valToPos(value, 'lr') : chart.bbox.height / 2 / (window.devicePixelRatio || 1);
    chart.setCursor({ left: chart.valToPos(step, 'x'), top }, false);
  }

  /** Focusing the plot shows the readout, at the first visible step, when none is shown. */
  private onPlotFocus(): void {
    if (this.readoutStepValue === null) this.moveReadoutTo(this.visibleRange()?.min ?? 0);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const range = this.visibleRange();
    const chart = this.chart;
    if (!range || !chart) return;
    const plotWidthCss = chart.bbox.width / (window.devicePixelRatio || 1);
    const stepsPerPixel = Math.max(1, Math.round((range.max - range.min) / Math.max(1, plotWidthCss)));
    const current = this.readoutStepValue ?? Math.round(range.min);
    const jump = event.shiftKey ? 10 * stepsPerPixel : stepsPerPixel;
    const target = readoutKeyTarget(event.key, current, jump, range.min, range.max);
    if (target !== null) {
      this.moveReadoutTo(target);
      event.preventDefault();
      return;
    }
    switch (event.key) {
      case '+':
      case '=':
        this.zoomAround(current, 0.5);
        break;
      case '-':
      case '_':
        this.zoomAround(current, 2);
        break;
      case '0':
      case 'Escape':
        this.resetZoom();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private zoomAround(step: number, factor: number): void {
    const range = this.visibleRange();
    const chart = this.chart;
    if (!range || !chart) return;
    const lastStep = this.lastPlottedStep();
    const span = Math.min(lastStep, Math.max(2, (range.max - range.min) * factor));
    const min = Math.min(Math.max(0, step - span / 2), lastStep - span);
    chart.setScale('x', { min, max: min + span });
    this.moveReadoutTo(step);
  }

  private resetZoom(): void {
    const chart = this.chart;
    if (!chart) return;
    chart.setScale('x', { min: 0, max: this.lastPlottedStep() });
  }

  private toggleLogScale(): void {
    this.logScale = !this.logScale;
    this.render();
  }

  /** Shift+drag pans; the capture listener keeps uPlot from starting a zoom selection at the same time. */
  private onPanStart(event: MouseEvent): void {
    const chart = this.chart;
    const range = this.visibleRange();
    if (!event.shiftKey || event.button !== 0 || !chart || !range || this.view === null) return;
    event.stopPropagation();
    event.preventDefault();
    const startX = event.clientX;
    const stepsPerCssPixel = (range.max - range.min) / Math.max(1, chart.bbox.width / (window.devicePixelRatio || 1));
    const lastStep = this.lastPlottedStep();
    const span = range.max - range.min;
    const onMove = (move: MouseEvent): void => {
      const shifted = range.min - (move.clientX - startX) * stepsPerCssPixel;
      const min = Math.min(Math.max(0, shifted), lastStep - span);
      chart.setScale('x', { min, max: min + span });
    };
    const onUp = (): void => {
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
    };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
  }

  // ---- Export ----

  protected override exportSource(): { baseName: string; csv: () => string } | null {
    const schedule = this.schedule;
    return schedule ? { baseName: exportBaseName(schedule), csv: () => scheduleCsv(schedule) } : null;
  }

  /** The canvas uPlot drew (axes, series, markers) on the editor background, under a title and a legend. */
  override pngDataUrl(): string | null {
    const chart = this.chart;
    if (!chart) return null;
    // The legend goes at the right of the title line.
    return titledChartPng(
      chart.ctx.canvas,
      this.schedule?.title ?? 'schedule',
      this.theme,
      (context, headerHeight, pixelRatio) => {
        context.font = `${Math.round(Math.round(this.theme.fontSizePx * pixelRatio) * 0.9)}px ${this.theme.fontFamily}`;
        let legendX = context.canvas.width - 8 * pixelRatio;
        for (const series of [...this.plotted].reverse()) {
          legendX -= context.measureText(series.label).width;
          context.fillStyle = this.theme.foreground;
          context.fillText(series.label, legendX, headerHeight / 2);
          legendX -= 24 * pixelRatio;
          context.strokeStyle = this.colorOf(series);
          context.lineWidth = 2 * pixelRatio;
          context.setLineDash(series.pinned ? pinnedDashCss.map((length) => length * pixelRatio) : []);
          context.beginPath();
          context.moveTo(legendX, headerHeight / 2);
          context.lineTo(legendX + 18 * pixelRatio, headerHeight / 2);
          context.stroke();
          legendX -= 12 * pixelRatio;
        }
        context.setLineDash([]);
      },
    );
  }

  override svgText(): string {
    const chart = this.chart;
    const schedule = this.schedule;
    const range = this.visibleRange();
    if (!chart || !schedule || !range) return '';
    const data = chart.data;
    // The export's axes are the core plot module's (as in the CLI's SVG), not uPlot's on-screen ranges.
    return scheduleSvg({
      width: Math.max(480, Math.round(chart.width)),
      height: Math.max(240, Math.round(chart.height) + 44),
      title: schedule.title,
      theme: this.theme,
      logScale: this.logScale,
      stepRange: range,
      steps: this.decimatedSteps,
      series: this.plotted.map((series, index) => ({
        label: series.label,
        axis: series.axis,
        values: (data[index + 1] ?? []) as (number | null)[],
        color: this.colorOf(series),
        dashed: series.pinned,
      })),
      markers: this.markerLines(schedule),
      ...(this.axes?.x.choice() ? { xTickCount: this.axes.x.choice()!.target } : {}),
      ...(this.axes?.lr.choice() ? { yTickCount: this.axes.lr.choice()!.target } : {}),
    });
  }
}
