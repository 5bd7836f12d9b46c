// The loss-landscape view: a shaded contour map of a 2-D function with each optimizer's path, start, end and
// the known minima; a step scrubber with play; a linked loss-against-step plot and the effective step size per
// coordinate (both log y); one stability statement per run (a proven bound or the measured behaviour); a heatmap for
// sweeps; notes; PNG/SVG/CSV export.
//
// Invariant: the map's shading and contour lines are drawn once per view, theme and size into a base canvas; moving
// the scrubber only redraws paths and markers on top of it, so scrubbing and playback stay smooth.
//
// This file wires the DOM, state and events. What is drawn is decided in `landscapeScene.ts` (pure: the map and
// heatmap in plot coordinates) and drawn by `landscapeCanvas.ts` and `landscapeSvg.ts`; the two live plots are
// `landscapeCharts.ts`, on the core's ticks.

import { button, fillList, legendItem, make } from '../common/dom';
import uPlot from 'uplot';
import type { LandscapePanelSnapshot, SimulationSnapshot } from '../protocol';
import { formatValue } from '../common/format';
import type { PlotTheme } from '../common/theme';
import { ChartPanelBase, drawTitleBand, type ResultPanelChrome } from '../common/chartPanel';
import type { ExportFile } from '../common/webviewHost';
import { escapeXml, exportBaseNameOf, lineChartSvgBody, svgOpen } from '../common/lineChartSvg';
import type { LiveAxisChoice } from '../common/liveAxis';
import { drawHeatmapScene, drawMapBase, drawMapPaths, type CanvasStyle } from './landscapeCanvas';
import {
  landscapePlot,
  plotSvgInput,
  type LandscapePlot,
  type LimitLine,
  type PlotSeriesStyle,
} from './landscapeCharts';
import {
  boundLines,
  hasMap,
  isWarningVerdict,
  lastStepOf,
  simulationCsv,
  stepSizeSeries,
  type StepSizeSeries,
} from './landscapeModel';
import {
  currentPoints,
  fitMapFrame,
  heatmapScene,
  mapAspect,
  mapBounds,
  mapContours,
  mapMargin,
  mapScene,
  type MapContours,
  type MapScene,
  type Margins,
} from './landscapeScene';
import { mapSvgElements } from './landscapeSvg';

export interface LandscapePanelViewCallbacks {
  readonly exportFile: ExportFile;
  readonly stateChanged: () => void;
}

/** A read-only window into the view for browser tests and the webview developer tools. */
export interface LandscapeDebugHandle {
  readonly step: () => number;
  readonly lastStep: () => number;
  readonly playing: () => boolean;
  /** Where each run's current marker is on the map canvas, in CSS pixels from its top left; `null` off the map. */
  readonly markerPositions: () => ({ x: number; y: number } | null)[];
  readonly contourLevels: () => { logarithmic: boolean; levels: number[] } | null;
  readonly contourSegmentCount: () => number;
  readonly runColors: () => string[];
  readonly lossChart: () => uPlot | null;
  readonly stepSizeChart: () => uPlot | null;
  readonly stepSizeLabels: () => string[];
  readonly theme: () => PlotTheme;
  /** What each live plot's axes last chose (ticks, labels, tick targets), for comparing with the export. */
  readonly axisChoices: () => Record<
    'loss' | 'stepSize',
    { x: LiveAxisChoice | null; y: LiveAxisChoice | null } | null
  >;
  /** The map's tick labels as drawn on the canvas. */
  readonly mapTickLabels: () => { x: string[]; y: string[] } | null;
}

interface Elements extends ResultPanelChrome {
  readonly summary: HTMLElement;
  readonly stability: HTMLElement;
  readonly overlay: HTMLElement;
  readonly main: HTMLElement;
  readonly mapArea: HTMLElement;
  readonly mapCanvas: HTMLCanvasElement;
  readonly lossHost: HTMLElement;
  readonly stepSizeHost: HTMLElement;
  readonly scrubber: HTMLElement;
  readonly playButton: HTMLButtonElement;
  readonly slider: HTMLInputElement;
  readonly stepLabel: HTMLElement;
  readonly legend: HTMLElement;
  readonly heatmapSection: HTMLElement;
  readonly heatmapCanvas: HTMLCanvasElement;
}

const playbackFrames = 240;
const plotHeightCss = 150;

export class LandscapePanelView extends ChartPanelBase<LandscapePanelViewCallbacks> {
  /** Built once, before the other fields are set: building reads none of them. */
  private readonly elements: Elements = this.buildDom();
  private view: SimulationSnapshot | null = null;
  private step = 0;
  private playingFrame: number | null = null;
  /** Contour levels and their segments in data coordinates; computed once per view. */
  private contours: MapContours = { scale: null, segments: [] };
  /** The map in CSS pixels of the canvas, for its current size; `null` until drawn or without a map. */
  private mapScene: MapScene | null = null;
  private baseLayer: HTMLCanvasElement | null = null;
  private lossChart: uPlot | null = null;
  private stepSizeChart: uPlot | null = null;
  private lossPlot: LandscapePlot | null = null;
  private stepSizePlot: LandscapePlot | null = null;
  private stepSizes: StepSizeSeries[] = [];
  /** Height of each plot, set by layoutMain. */
  private plotHeightPx = plotHeightCss + 50;

  constructor(root: HTMLElement, callbacks: LandscapePanelViewCallbacks) {
    super(root, callbacks);
    // The map and plots are sized to the window's height too, which the observer of widths does not see.
    window.addEventListener('resize', () => this.onResize());
    this.start(this.elements.main);
  }

  // ---- State in and out ----

  applySnapshot(snapshot: LandscapePanelSnapshot, step?: number): void {
    this.stopPlaying();
    const sameRuns = snapshot.view !== null && this.view !== null && snapshot.view.uri === this.view.uri;
    this.view = snapshot.view;
    this.contours = this.view ? mapContours(this.view) : { scale: null, segments: [] };
    this.mapScene = null;
    const last = this.view ? lastStepOf(this.view) : 0;
    this.step = Math.min(step ?? (sameRuns ? this.step : last), last);
    this.render();
  }

  protected override statusLine(): HTMLElement {
    return this.elements.status;
  }

  snapshot(): LandscapePanelSnapshot {
    return { view: this.view };
  }

  currentStep(): number {
    return this.step;
  }

  /** Moves the scrubber; the map markers and the plots' step line follow. */
  setStep(step: number): void {
    const last = this.view ? lastStepOf(this.view) : 0;
    const clamped = Math.min(Math.max(0, Math.round(step)), last);
    if (clamped === this.step && Number(this.elements.slider.value) === clamped) return;
    this.step = clamped;
    this.elements.slider.value = String(clamped);
    this.renderStepLabel();
    this.drawMap();
    this.lossChart?.redraw(false, false);
    this.stepSizeChart?.redraw(false, false);
    this.callbacks.stateChanged();
  }

  debugHandle(): LandscapeDebugHandle {
    return {
      step: () => this.step,
      lastStep: () => (this.view ? lastStepOf(this.view) : 0),
      playing: () => this.playingFrame !== null,
      markerPositions: () => this.markerPositions(),
      contourLevels: () =>
        this.contours.scale
          ? { logarithmic: this.contours.scale.logarithmic, levels: [...this.contours.scale.levels] }
          : null,
      contourSegmentCount: () => this.contours.segments.reduce((sum, segments) => sum + segments.length / 4, 0),
      runColors: () => (this.view?.runs ?? []).map((_run, index) => this.runColor(index)),
      lossChart: () => this.lossChart,
      stepSizeChart: () => this.stepSizeChart,
      stepSizeLabels: () => this.stepSizes.map((series) => series.label),
      theme: () => this.theme,
      axisChoices: () => ({
        loss: this.lossPlot ? { x: this.lossPlot.xAxis.choice(), y: this.lossPlot.yAxis.choice() } : null,
        stepSize: this.stepSizePlot
          ? { x: this.stepSizePlot.xAxis.choice(), y: this.stepSizePlot.yAxis.choice() }
          : null,
      }),
      mapTickLabels: () =>
        this.mapScene
          ? { x: this.mapScene.xTicks.map((tick) => tick.label), y: this.mapScene.yTicks.map((tick) => tick.label) }
          : null,
    };
  }

  // ---- DOM ----

  private buildDom(): Elements {
    return this.buildResultPanelDom(
      'landscape-panel',
      {
        drawing: 'the map and plots',
        csv: 'Export every run step (or the heatmap cells) as CSV',
      },
      () => {
        const summary = make('div', 'summary', this.root);
        const stability = make('ul', 'stability', this.root, { 'aria-label': 'What each run did' });
        const overlay = make('div', 'overlay', this.root, { role: 'status' });
        const main = make('div', 'landscape-main', this.root);
        const mapArea = make('div', 'map-area', main);
        const mapCanvas = make('canvas', 'map', mapArea, { role: 'img' });
        const plots = make('div', 'plots', main);
        const lossHost = make('div', 'loss-plot', plots, { 'aria-label': 'Loss against step, logarithmic' });
        const stepSizeHost = make('div', 'step-size-plot', plots, {
          'aria-label': 'Effective step size per coordinate against step, logarithmic',
        });
        const scrubber = make('div', 'scrubber', this.root);
        const playButton = button(
          scrubber,
          'Play',
          'Animate the runs step by step (Space while the slider has focus)',
          () => this.togglePlaying(),
        );
        playButton.setAttribute('aria-pressed', 'false');
        const slider = make('input', 'step-slider', scrubber, { 'aria-label': 'Step' });
        slider.type = 'range';
        slider.min = '0';
        slider.step = '1';
        slider.addEventListener('input', () => {
          this.stopPlaying();
          this.setStep(Number(slider.value));
        });
        slider.addEventListener('keydown', (event) => {
          if (event.key === ' ') {
            event.preventDefault();
            this.togglePlaying();
          }
        });
        const stepLabel = make('span', 'step-label', scrubber, { 'aria-live': 'off' });
        const legend = make('div', 'legend', this.root, { 'aria-label': 'Runs' });
        const heatmapSection = make('section', 'heatmap-section', this.root, { 'aria-label': 'Heatmap' });
        const heatmapCanvas = make('canvas', 'heatmap', heatmapSection, { role: 'img' });
        return {
          summary,
          stability,
          overlay,
          main,
          mapArea,
          mapCanvas,
          lossHost,
          stepSizeHost,
          scrubber,
          playButton,
          slider,
          stepLabel,
          legend,
          heatmapSection,
          heatmapCanvas,
        };
      },
    );
  }

  protected override render(): void {
    this.renderChrome();
    this.layoutMain();
    this.baseLayer = null;
    this.drawMap();
    this.rebuildPlots();
    this.drawHeatmap();
    this.countPaint();
    this.callbacks.stateChanged();
  }

  private renderChrome(): void {
    const { elements, view } = this;
    elements.title.textContent = view ? `Landscape: ${view.functionLabel}` : 'Loss landscape';
    elements.title.title = view?.uri ?? '';
    for (const exportButton of Object.values(elements.exportButtons)) exportButton.disabled = view === null;
    elements.overlay.hidden = view !== null;
    elements.overlay.textContent =
      view === null
        ? 'Run “Optimizer Lens: Simulate” on a config with a `simulate:` section to see the landscape here.'
        : '';
    elements.summary.textContent = view
      ? `${view.dim}-D · ${view.runs.length} run${view.runs.length === 1 ? '' : 's'} · backend ${view.backend} · ${view.seconds < 1 ? `${Math.round(view.seconds * 1000)} ms` : `${view.seconds.toFixed(1)} s`}`
      : '';
    const statements = view?.stability ?? [];
    elements.stability.hidden = statements.length === 0;
    elements.stability.replaceChildren();
    statements.forEach((statement, index) => {
      // One line per run, with the run's colour: a proven bound, or what the run measurably did.
      const line = make('li', `statement ${statement.basis}`, elements.stability);
      line.dataset.verdict = statement.verdict;
      line.classList.toggle('unstable', isWarningVerdict(statement.verdict));
      const swatch = make('span', 'swatch solid', line);
      swatch.style.borderTopColor = this.runColor(index);
      make('span', 'statement-run', line).textContent = `${statement.run}: `;
      line.appendChild(document.createTextNode(statement.text));
    });
    const withMap = view !== null && hasMap(view);
    const withRuns = view !== null && view.runs.length > 0;
    elements.main.hidden = !withRuns && !withMap;
    elements.mapArea.hidden = !withMap;
    elements.main.classList.toggle('plots-only', !withMap);
    elements.scrubber.hidden = !withRuns;
    const last = view ? lastStepOf(view) : 0;
    elements.slider.max = String(last);
    elements.slider.value = String(this.step);
    elements.mapCanvas.setAttribute(
      'aria-label',
      view
        ? `Contour map of ${view.functionLabel} with ${view.runs.map((run) => run.label).join(', ')} paths`
        : 'Contour map',
    );
    this.renderStepLabel();

    elements.legend.replaceChildren();
    view?.runs.forEach((run, index) => {
      const item = legendItem(elements.legend, run.label, this.runColor(index), 'swatch solid');
      item.dataset.run = String(index);
      if (run.stoppedEarly) make('span', 'stopped-early', item).textContent = ` (${run.stoppedEarly})`;
    });
    if (view && withMap) {
      for (const [label, className] of [
        ['start', 'marker-start'],
        ['end', 'marker-end'],
        ['minimum', 'marker-minimum'],
      ] as const) {
        const item = document.createElement('span');
        item.className = `legend-item ${className}`;
        item.textContent = label;
        elements.legend.appendChild(item);
      }
    }
    elements.heatmapSection.hidden = !view?.heatmap;
    fillList(elements.notes, view?.notes ?? []);
  }

  private renderStepLabel(): void {
    const last = this.view ? lastStepOf(this.view) : 0;
    const losses = (this.view?.runs ?? []).map(
      (run) => `${run.label} ${formatValue(run.loss[Math.min(this.step, run.loss.length - 1)], 3)}`,
    );
    this.elements.stepLabel.textContent = `step ${this.step} / ${last}${losses.length > 0 ? ` · loss ${losses.join(', ')}` : ''}`;
    this.elements.slider.setAttribute('aria-valuetext', `step ${this.step} of ${last}`);
  }

  private runColor(index: number): string {
    const palette = [
      this.theme.momentum,
      this.theme.beta1,
      this.theme.pinned,
      this.theme.runEnd,
      this.theme.marker,
      this.theme.foreground,
    ];
    return palette[index % palette.length]!;
  }

  protected override onResize(): void {
    if (!this.view) return;
    this.layoutMain();
    this.baseLayer = null;
    this.drawMap();
    const width = this.plotWidth();
    const height = this.plotHeight();
    for (const chart of [this.lossChart, this.stepSizeChart])
      if (chart && (chart.width !== width || chart.height !== height)) chart.setSize({ width, height });
    this.drawHeatmap();
  }

  // ---- Playback ----

  private togglePlaying(): void {
    if (this.playingFrame !== null) {
      this.stopPlaying();
      return;
    }
    const last = this.view ? lastStepOf(this.view) : 0;
    if (last === 0) return;
    if (this.step >= last) this.setStep(0);
    const stride = Math.max(1, Math.round(last / playbackFrames));
    const advance = (): void => {
      const next = Math.min(last, this.step + stride);
      this.setStep(next);
      if (next >= last) {
        this.stopPlaying();
        return;
      }
      this.playingFrame = requestAnimationFrame(advance);
    };
    this.playingFrame = requestAnimationFrame(advance);
    this.elements.playButton.textContent = 'Pause';
    this.elements.playButton.setAttribute('aria-pressed', 'true');
  }

  private stopPlaying(): void {
    if (this.playingFrame !== null) cancelAnimationFrame(this.playingFrame);
    this.playingFrame = null;
    this.elements.playButton.textContent = 'Play';
    this.elements.playButton.setAttribute('aria-pressed', 'false');
  }

  // ---- Map ----

  /** The map scene for the current canvas size (CSS pixels), or `null` without a map. Kept until the size changes. */
  private sceneFor(view: SimulationSnapshot, cssWidth: number, cssHeight: number): MapScene {
    const bounds = mapBounds(view);
    const frame = fitMapFrame(bounds, cssWidth, cssHeight, mapMargin);
    return mapScene(view, this.contours, bounds, frame, { highContrast: this.theme.kind.startsWith('high-contrast') });
  }

  private canvasStyle(): CanvasStyle {
    return {
      theme: this.theme,
      runColors: (this.view?.runs ?? []).map((_run, index) => this.runColor(index)),
      scratch: this.scratch,
      pixelRatio: window.devicePixelRatio || 1,
    };
  }

  private drawMap(): void {
    const view = this.view;
    const canvas = this.elements.mapCanvas;
    if (!view || !hasMap(view)) {
      this.mapScene = null;
      return;
    }
    const pixelRatio = window.devicePixelRatio || 1;
    const area = this.elements.mapArea;
    const cssWidth = Math.max(160, Math.floor(area.clientWidth));
    const cssHeight = Math.max(160, Math.floor(area.clientHeight));
    if (canvas.width !== cssWidth * pixelRatio || canvas.height !== cssHeight * pixelRatio) {
      canvas.width = cssWidth * pixelRatio;
      canvas.height = cssHeight * pixelRatio;
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${cssHeight}px`;
      this.baseLayer = null;
    }
    const style = this.canvasStyle();
    if (this.baseLayer === null || this.mapScene === null) {
      this.mapScene = this.sceneFor(view, cssWidth, cssHeight);
      const layer = document.createElement('canvas');
      layer.width = canvas.width;
      layer.height = canvas.height;
      drawMapBase(layer.getContext('2d')!, this.mapScene, { width: cssWidth, height: cssHeight }, style);
      this.baseLayer = layer;
    }
    const context = canvas.getContext('2d')!;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(this.baseLayer, 0, 0);
    const scene = this.mapScene;
    drawMapPaths(context, scene, this.step, currentPoints(view, scene.bounds, scene.frame, this.step), style);
  }

  private markerPositions(): ({ x: number; y: number } | null)[] {
    const view = this.view;
    const scene = this.mapScene;
    if (!view) return [];
    if (!scene) return view.runs.map(() => null);
    return currentPoints(view, scene.bounds, scene.frame, this.step);
  }

  // ---- Plots ----

  /**
   * Sizes the map and the plots so that the map has the landscape's own proportions (no empty band beside or below
   * it) and the scrubber and legend below them stay inside the window: the map takes the height left between the
   * header lines and the scrubber, as wide as its proportions need but leaving the plots at least 280 px beside it;
   * the two plots share the map's height. Panels under 600 px wide stack the map above the plots.
   */
  private layoutMain(): void {
    const { main, mapArea, scrubber, legend } = this.elements;
    const view = this.view;
    if (!view || main.hidden) return;
    const gap = 6;
    const width = main.clientWidth;
    const top = main.getBoundingClientRect().top + window.scrollY;
    const below = scrubber.offsetHeight + legend.offsetHeight + 3 * gap + 8;
    const available = Math.max(240, Math.floor(window.innerHeight - top - below));
    if (!hasMap(view)) {
      this.plotHeightPx = Math.min(360, Math.max(plotHeightCss, Math.floor((available - gap) / 2)));
      return;
    }
    // The frame around the plot rectangle (axes and labels), as the map scene lays it out.
    const frameWidth = mapMargin.left + mapMargin.right;
    const frameHeight = mapMargin.top + mapMargin.bottom;
    const { aspect } = mapAspect(mapBounds(view));
    let mapWidth: number;
    let mapHeight: number;
    if (width >= 600) {
      const widest = width - 8 - 280;
      mapHeight = Math.min(available, (widest - frameWidth) * aspect + frameHeight);
      mapWidth = Math.min(widest, (mapHeight - frameHeight) / aspect + frameWidth);
      main.style.gridTemplateColumns = `${Math.floor(mapWidth)}px minmax(0, 1fr)`;
      this.plotHeightPx = Math.max(120, Math.floor((mapHeight - gap) / 2));
    } else {
      mapWidth = width;
      this.plotHeightPx = 140;
      mapHeight = Math.min(
        (width - frameWidth) * aspect + frameHeight,
        Math.max(200, available - 2 * (this.plotHeightPx + gap)),
      );
      main.style.gridTemplateColumns = 'minmax(0, 1fr)';
    }
    mapArea.style.height = `${Math.floor(mapHeight)}px`;
  }

  /** Beside the map the two plots share its height; without a map they share the height left in the window. */
  private plotHeight(): number {
    return this.plotHeightPx;
  }

  private plotWidth(): number {
    const host = this.elements.lossHost;
    return Math.max(200, Math.floor(host.clientWidth || this.elements.main.clientWidth));
  }

  private rebuildPlots(): void {
    this.lossChart?.destroy();
    this.stepSizeChart?.destroy();
    this.lossChart = null;
    this.stepSizeChart = null;
    this.lossPlot = null;
    this.stepSizePlot = null;
    this.stepSizes = [];
    const view = this.view;
    if (!view || view.runs.length === 0) return;
    const steps = Array.from({ length: lastStepOf(view) + 1 }, (_unused, index) => index);
    const positiveOrNull = (value: number | null | undefined): number | null =>
      value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
    const lossColumns = view.runs.map((run) => steps.map((step) => positiveOrNull(run.loss[step])));
    const loss = this.plotFor(
      'loss',
      'loss (log)',
      view.runs.map((run, index) => ({ label: run.label, color: this.runColor(index), dashed: false })),
      [],
    );
    this.lossPlot = loss.plot;
    this.lossChart = new uPlot(loss.options, [steps, ...lossColumns] as uPlot.AlignedData, this.elements.lossHost);
    this.stepSizes = stepSizeSeries(view);
    if (this.stepSizes.length > 0) {
      // Step sizes belong to updates: update k (1-based) moved x[k-1] to x[k], so it is drawn at step k.
      const columns = this.stepSizes.map((series) =>
        steps.map((step) => (step === 0 ? null : positiveOrNull(series.values[step - 1]))),
      );
      const stepSize = this.plotFor(
        'step size',
        'step size |Δx|/|g| (log)',
        this.stepSizes.map((series) => ({
          label: series.label,
          color: this.runColor(series.runIndex),
          dashed: series.dashed,
        })),
        boundLines(view),
      );
      this.stepSizePlot = stepSize.plot;
      this.stepSizeChart = new uPlot(
        stepSize.options,
        [steps, ...columns] as uPlot.AlignedData,
        this.elements.stepSizeHost,
      );
    }
    this.elements.stepSizeHost.hidden = this.stepSizeChart === null;
  }

  private plotFor(
    title: string,
    yLabel: string,
    series: readonly PlotSeriesStyle[],
    limits: readonly LimitLine[],
  ): { plot: LandscapePlot; options: uPlot.Options } {
    return landscapePlot({
      title,
      yLabel,
      series,
      limits,
      lastStep: this.view ? lastStepOf(this.view) : 1,
      width: this.plotWidth(),
      height: this.plotHeight(),
      theme: this.theme,
      scratch: this.scratch,
      pixelRatio: window.devicePixelRatio || 1,
      step: () => this.step,
    });
  }

  // ---- Heatmap ----

  private drawHeatmap(): void {
    const heatmap = this.view?.heatmap;
    const canvas = this.elements.heatmapCanvas;
    if (!heatmap) return;
    const pixelRatio = window.devicePixelRatio || 1;
    const cssWidth = Math.max(240, Math.min(720, Math.floor(this.elements.heatmapSection.clientWidth || 480)));
    const cssHeight = Math.round(Math.min(360, Math.max(200, cssWidth * 0.55)));
    canvas.width = cssWidth * pixelRatio;
    canvas.height = cssHeight * pixelRatio;
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
    const scene = heatmapScene(heatmap, cssWidth, cssHeight, (value, digits) => formatValue(value, digits));
    const best = scene.best;
    const caption = `${heatmap.yLabel} ↑   ${heatmap.metric}${scene.logarithmic ? ' (log colour scale)' : ''}${best ? `, best ${formatValue(best.value, 3)} (outlined)` : ''}`;
    drawHeatmapScene(
      canvas.getContext('2d')!,
      scene,
      { width: cssWidth, height: cssHeight },
      {
        xLabel: heatmap.xLabel,
        caption,
        maxLabel: formatValue(scene.range?.max, 2),
        minLabel: formatValue(scene.range?.min, 2),
      },
      this.canvasStyle(),
    );
    canvas.setAttribute(
      'aria-label',
      `Heatmap of ${heatmap.metric} over ${heatmap.xLabel} and ${heatmap.yLabel}${best ? `; best ${formatValue(best.value, 3)} at ${heatmap.xLabel} ${formatValue(heatmap.xs[best.column])}, ${heatmap.yLabel} ${formatValue(heatmap.ys[best.row])}` : ''}`,
    );
  }

  // ---- Export ----

  protected override exportSource(): { baseName: string; csv: () => string } | null {
    const view = this.view;
    return view ? { baseName: exportBaseNameOf(view.uri, 'landscape'), csv: () => simulationCsv(view) } : null;
  }

  /** Every visible canvas (map, plots, heatmap) placed as on screen, under a title line. */
  override pngDataUrl(): string | null {
    const pixelRatio = window.devicePixelRatio || 1;
    const canvases = [...this.root.querySelectorAll('canvas')].filter(
      (canvas) => canvas.getClientRects().length > 0 && canvas.width > 0,
    );
    if (canvases.length === 0) return null;
    const rects = canvases.map((canvas) => canvas.getBoundingClientRect());
    const left = Math.min(...rects.map((rect) => rect.left));
    const top = Math.min(...rects.map((rect) => rect.top));
    const right = Math.max(...rects.map((rect) => rect.right));
    const bottom = Math.max(...rects.map((rect) => rect.bottom));
    const header = 28;
    const output = document.createElement('canvas');
    output.width = Math.ceil((right - left + 16) * pixelRatio);
    output.height = Math.ceil((bottom - top + header + 8) * pixelRatio);
    const context = output.getContext('2d');
    if (!context) return null;
    const title = `${this.elements.title.textContent ?? ''} · step ${this.step}`;
    drawTitleBand(context, title, this.theme, pixelRatio, (header / 2) * pixelRatio);
    canvases.forEach((canvas, index) => {
      const rect = rects[index]!;
      context.drawImage(
        canvas,
        (rect.left - left + 8) * pixelRatio,
        (rect.top - top + header) * pixelRatio,
        rect.width * pixelRatio,
        rect.height * pixelRatio,
      );
    });
    return output.toDataURL('image/png');
  }

  /** The map as vector contours, paths and markers, then the loss and step-size plots below it. */
  override svgText(): string {
    const view = this.view;
    if (!view) return '';
    const theme = this.theme;
    const width = 720;
    const parts: string[] = [];
    parts.push(
      `<text x="12" y="20" fill="${escapeXml(theme.foreground)}" font-weight="600">${escapeXml(this.elements.title.textContent ?? '')}</text>`,
    );
    let y = 30;
    if (hasMap(view)) {
      // A 440-pixel box centred under the title, with the landscape's proportions, as on screen.
      const size = 440;
      const margin = { left: (width - size) / 2, right: (width - size) / 2, top: y + 8, bottom: 0 };
      const scene = this.sceneForSvg(view, width, y + 8 + size, margin);
      const map = mapSvgElements(scene, {
        foreground: theme.foreground,
        background: theme.background,
        contour: theme.lr,
        frame: theme.gridLines,
        runColors: view.runs.map((_run, index) => this.runColor(index)),
      });
      parts.push(...map.elements);
      y = map.bottom;
    }
    const last = lastStepOf(view);
    for (const [plot, chart] of [
      [this.lossPlot, this.lossChart],
      [this.stepSizePlot, this.stepSizeChart],
    ] as const) {
      if (!plot || !chart) continue;
      parts.push(
        lineChartSvgBody(plotSvgInput(plot, chart.data, last, this.step, theme, { width, height: 220 }), 0, y),
      );
      y += 230;
    }
    const height = Math.max(y, 120);
    return (
      [svgOpen(width, height, theme, this.elements.title.textContent ?? 'landscape'), ...parts, '</svg>'].join('\n') +
      '\n'
    );
  }

  private sceneForSvg(view: SimulationSnapshot, width: number, height: number, margin: Margins): MapScene {
    const bounds = mapBounds(view);
    return mapScene(view, this.contours, bounds, fitMapFrame(bounds, width, height, margin));
  }
}
