// The loss-landscape view: a shaded contour map of a 2-D function with each optimizer's path, start, end and
// the known minima; a step scrubber with play; a linked loss-against-step plot and the effective step size per
// coordinate (both log y); one stability statement per run (a proven bound or the measured behaviour); a heatmap for
// sweeps; notes; PNG/SVG/CSV export.
//
// Invariant: the map's shading and contour lines are drawn once per view, theme and size into a base canvas; moving
// the scrubber only redraws paths and markers on top of it, so scrubbing and playback stay smooth.

import { button, exportButtons, exportResultText, make } from '../common/dom';
import uPlot from 'uplot';
import type { ExportFormat, LandscapePanelSnapshot, SimulationSnapshot } from '../protocol';
import { formatValue, linearTicks } from '../common/format';
import { readPlotTheme, withAlpha, type PlotTheme } from '../common/theme';
import { decadeAxis } from '../common/logAxis';
import { formatTick } from '../../../server/src/core/plot/ticks';
import { escapeXml, exportBaseNameOf, lineChartSvgBody, round, svgOpen } from '../common/lineChartSvg';
import { finiteRange, levelScale, marchingSquares, mixRgb, normalizedHeight, parseRgb, type LevelScale } from './contours';
import { boundLines, hasMap, isWarningVerdict, lastStepOf, pointAt, simulationCsv, stepSizeSeries, type StepSizeSeries } from './landscapeModel';

export interface LandscapePanelViewCallbacks {
  readonly exportFile: (format: ExportFormat, suggestedName: string, encoding: 'base64' | 'utf8', content: string) => void;
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
}

interface Elements {
  readonly title: HTMLElement;
  readonly exportButtons: Record<ExportFormat, HTMLButtonElement>;
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
  readonly notes: HTMLElement;
  readonly status: HTMLElement;
}

interface MapGeometry {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * uPlot's own log-axis splits only work between about 1e-16 and 1e16: beyond, its table of increments runs out, the
 * split loop stops advancing and the panel froze for seconds on a loss of 1e-86 (lesson 2). So the plots' y axes use
 * our own decade splits, and the range is the enclosing decades, within what float64 can place on a log axis.
 */
function logRange(min: number | null, max: number | null): uPlot.Range.MinMax {
  const low = Math.max(1e-300, min !== null && min > 0 ? min : 1e-300);
  const high = Math.min(1e300, Math.max(low, max !== null && max > 0 ? max : low));
  const lowExponent = Math.floor(Math.log10(low));
  const highExponent = Math.max(lowExponent + 1, Math.ceil(Math.log10(high)));
  return [Number(`1e${lowExponent}`), Number(`1e${highExponent}`)];
}

/** Powers of ten from `min` to `max`, every `stride`-th one so that at most `most` are drawn. */
function decadeSplits(min: number, max: number, most: number): number[] {
  const first = Math.ceil(Math.log10(min) - 1e-9);
  const last = Math.floor(Math.log10(max) + 1e-9);
  const stride = Math.max(1, Math.ceil((last - first + 1) / Math.max(1, most)));
  const splits: number[] = [];
  // Counted down from the top decade, so that the one nearest the start of a falling loss is always labelled.
  for (let exponent = last; exponent >= first; exponent -= stride) splits.unshift(Number(`1e${exponent}`));
  return splits;
}

/** Steps per animation frame: playback takes about this many frames, whatever the run length. */
const playbackFrames = 240;
const plotHeightCss = 150;
/** Room around the map's plot rectangle for the ticks and axis names, in CSS pixels. */
const mapMargin = { left: 44, right: 10, top: 8, bottom: 34 } as const;

export class LandscapePanelView {
  private readonly elements: Elements;
  private view: SimulationSnapshot | null = null;
  private step = 0;
  private playingFrame: number | null = null;
  private theme: PlotTheme;
  private scale: LevelScale | null = null;
  /** Contour segments per level, in data coordinates; computed once per view. */
  private contourSegments: number[][] = [];
  private baseLayer: HTMLCanvasElement | null = null;
  private geometry: MapGeometry | null = null;
  private lossChart: uPlot | null = null;
  private stepSizeChart: uPlot | null = null;
  private stepSizes: StepSizeSeries[] = [];
  /** Height of each plot, set by layoutMain. */
  private plotHeightPx = plotHeightCss + 50;
  private readonly scratch: CanvasRenderingContext2D;

  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: LandscapePanelViewCallbacks,
  ) {
    this.scratch = document.createElement('canvas').getContext('2d')!;
    this.theme = readPlotTheme(document.body);
    this.elements = this.buildDom();
    const themeObserver = new MutationObserver(() => this.onThemeMaybeChanged());
    themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    new ResizeObserver(() => this.onResize()).observe(this.elements.main);
    // The map and plots are sized to the window's height too, which the observer of widths does not see.
    window.addEventListener('resize', () => this.onResize());
    this.render();
  }

  // ---- State in and out ----

  applySnapshot(snapshot: LandscapePanelSnapshot, step?: number): void {
    this.stopPlaying();
    const sameRuns = snapshot.view !== null && this.view !== null && snapshot.view.uri === this.view.uri;
    this.view = snapshot.view;
    this.scale = null;
    this.contourSegments = [];
    if (this.view?.grid) {
      this.scale = levelScale(this.view.grid.values);
      const grid = this.view.grid;
      this.contourSegments = (this.scale?.levels ?? []).map((level) => marchingSquares(grid, level));
    }
    const last = this.view ? lastStepOf(this.view) : 0;
    this.step = Math.min(step ?? (sameRuns ? this.step : last), last);
    this.render();
  }

  showExportResult(format: ExportFormat, savedTo: string | null, error: string | undefined): void {
    this.elements.status.textContent = exportResultText(format, savedTo, error);
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
      contourLevels: () => (this.scale ? { logarithmic: this.scale.logarithmic, levels: [...this.scale.levels] } : null),
      contourSegmentCount: () => this.contourSegments.reduce((sum, segments) => sum + segments.length / 4, 0),
      runColors: () => (this.view?.runs ?? []).map((_run, index) => this.runColor(index)),
      lossChart: () => this.lossChart,
      stepSizeChart: () => this.stepSizeChart,
      stepSizeLabels: () => this.stepSizes.map((series) => series.label),
      theme: () => this.theme,
    };
  }

  // ---- DOM ----

  private buildDom(): Elements {
    this.root.classList.add('landscape-panel');
    const header = make('header', 'toolbar', this.root);
    const title = make('h1', 'title', header);
    const buttons = exportButtons(header, { png: 'Export the map and plots as a PNG image', svg: 'Export the map and plots as an SVG drawing', csv: 'Export every run step (or the heatmap cells) as CSV' }, (format) => this.exportAs(format));
    const summary = make('div', 'summary', this.root);
    const stability = make('ul', 'stability', this.root);
    stability.setAttribute('aria-label', 'What each run did');
    const overlay = make('div', 'overlay', this.root);
    overlay.setAttribute('role', 'status');
    const main = make('div', 'landscape-main', this.root);
    const mapArea = make('div', 'map-area', main);
    const mapCanvas = make('canvas', 'map', mapArea);
    mapCanvas.setAttribute('role', 'img');
    const plots = make('div', 'plots', main);
    const lossHost = make('div', 'loss-plot', plots);
    lossHost.setAttribute('aria-label', 'Loss against step, logarithmic');
    const stepSizeHost = make('div', 'step-size-plot', plots);
    stepSizeHost.setAttribute('aria-label', 'Effective step size per coordinate against step, logarithmic');
    const scrubber = make('div', 'scrubber', this.root);
    const playButton = button(scrubber, 'Play', 'Animate the runs step by step (Space while the slider has focus)', () => this.togglePlaying());
    playButton.setAttribute('aria-pressed', 'false');
    const slider = make('input', 'step-slider', scrubber);
    slider.type = 'range';
    slider.min = '0';
    slider.step = '1';
    slider.setAttribute('aria-label', 'Step');
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
    const stepLabel = make('span', 'step-label', scrubber);
    stepLabel.setAttribute('aria-live', 'off');
    const legend = make('div', 'legend', this.root);
    legend.setAttribute('aria-label', 'Runs');
    const heatmapSection = make('section', 'heatmap-section', this.root);
    heatmapSection.setAttribute('aria-label', 'Heatmap');
    const heatmapCanvas = make('canvas', 'heatmap', heatmapSection);
    heatmapCanvas.setAttribute('role', 'img');
    const notes = make('ul', 'notes', this.root);
    notes.setAttribute('aria-label', 'Notes');
    const status = make('div', 'status', this.root);
    status.setAttribute('role', 'status');
    return {
      title, exportButtons: buttons, summary, stability, overlay, main, mapArea, mapCanvas, lossHost, stepSizeHost,
      scrubber, playButton, slider, stepLabel, legend, heatmapSection, heatmapCanvas, notes, status,
    };
  }

  private render(): void {
    this.renderChrome();
    this.layoutMain();
    this.baseLayer = null;
    this.drawMap();
    this.rebuildPlots();
    this.drawHeatmap();
    this.root.dataset.paintCount = String(Number(this.root.dataset.paintCount ?? '0') + 1);
    this.callbacks.stateChanged();
  }

  private renderChrome(): void {
    const { elements } = this;
    const view = this.view;
    elements.title.textContent = view ? `Landscape: ${view.functionLabel}` : 'Loss landscape';
    elements.title.title = view?.uri ?? '';
    for (const exportButton of Object.values(elements.exportButtons)) exportButton.disabled = view === null;
    elements.overlay.hidden = view !== null;
    elements.overlay.textContent = view === null ? 'Run “Optimizer Lens: Simulate” on a config with a `simulate:` section to see the landscape here.' : '';
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
      view ? `Contour map of ${view.functionLabel} with ${view.runs.map((run) => run.label).join(', ')} paths` : 'Contour map',
    );
    this.renderStepLabel();

    elements.legend.replaceChildren();
    view?.runs.forEach((run, index) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      item.dataset.run = String(index);
      const swatch = document.createElement('span');
      swatch.className = 'swatch solid';
      swatch.style.borderTopColor = this.runColor(index);
      item.append(swatch, document.createTextNode(run.label));
      if (run.stoppedEarly) {
        const stopped = document.createElement('span');
        stopped.className = 'stopped-early';
        stopped.textContent = ` (${run.stoppedEarly})`;
        item.appendChild(stopped);
      }
      elements.legend.appendChild(item);
    });
    if (view && withMap) {
      for (const [label, className] of [['start', 'marker-start'], ['end', 'marker-end'], ['minimum', 'marker-minimum']] as const) {
        const item = document.createElement('span');
        item.className = `legend-item ${className}`;
        item.textContent = label;
        elements.legend.appendChild(item);
      }
    }
    elements.heatmapSection.hidden = !view?.heatmap;
    elements.notes.replaceChildren();
    for (const note of view?.notes ?? []) {
      const line = document.createElement('li');
      line.textContent = note;
      elements.notes.appendChild(line);
    }
  }

  private renderStepLabel(): void {
    const last = this.view ? lastStepOf(this.view) : 0;
    const losses = (this.view?.runs ?? []).map((run) => `${run.label} ${formatValue(run.loss[Math.min(this.step, run.loss.length - 1)], 3)}`);
    this.elements.stepLabel.textContent = `step ${this.step} / ${last}${losses.length > 0 ? ` · loss ${losses.join(', ')}` : ''}`;
    this.elements.slider.setAttribute('aria-valuetext', `step ${this.step} of ${last}`);
  }

  private runColor(index: number): string {
    const palette = [this.theme.momentum, this.theme.beta1, this.theme.pinned, this.theme.runEnd, this.theme.marker, this.theme.foreground];
    return palette[index % palette.length]!;
  }

  private onThemeMaybeChanged(): void {
    const theme = readPlotTheme(document.body);
    if (JSON.stringify(theme) === JSON.stringify(this.theme)) return;
    this.theme = theme;
    this.render();
  }

  private onResize(): void {
    if (!this.view) return;
    this.layoutMain();
    this.baseLayer = null;
    this.drawMap();
    const width = this.plotWidth();
    const height = this.plotHeight();
    for (const chart of [this.lossChart, this.stepSizeChart]) if (chart && (chart.width !== width || chart.height !== height)) chart.setSize({ width, height });
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

  private mapBounds(view: SimulationSnapshot): { xMin: number; xMax: number; yMin: number; yMax: number } {
    if (view.grid && view.grid.xs.length > 1 && view.grid.ys.length > 1) {
      const xs = view.grid.xs;
      const ys = view.grid.ys;
      return { xMin: xs[0]!, xMax: xs[xs.length - 1]!, yMin: ys[0]!, yMax: ys[ys.length - 1]! };
    }
    // Without a grid, the window is the paths' bounding box with a margin.
    const points = view.runs.flatMap((run) => run.x).concat(view.minima.map((point) => [...point]));
    const xs = finiteRange(points.map((point) => point[0] ?? null)) ?? { min: -1, max: 1 };
    const ys = finiteRange(points.map((point) => point[1] ?? null)) ?? { min: -1, max: 1 };
    const margin = (range: { min: number; max: number }): number => Math.max((range.max - range.min) * 0.1, 1e-3);
    return { xMin: xs.min - margin(xs), xMax: xs.max + margin(xs), yMin: ys.min - margin(ys), yMax: ys.max + margin(ys) };
  }

  private drawMap(): void {
    const view = this.view;
    const canvas = this.elements.mapCanvas;
    if (!view || !hasMap(view)) {
      this.geometry = null;
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
    if (this.baseLayer === null) this.baseLayer = this.drawBaseLayer(view, canvas.width, canvas.height, pixelRatio);
    const context = canvas.getContext('2d')!;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(this.baseLayer, 0, 0);
    this.drawPaths(context, view, pixelRatio);
  }

  /** Background, shading, contour lines, axes and minima: everything that does not move with the scrubber. */
  private drawBaseLayer(view: SimulationSnapshot, width: number, height: number, pixelRatio: number): HTMLCanvasElement {
    const layer = document.createElement('canvas');
    layer.width = width;
    layer.height = height;
    const context = layer.getContext('2d')!;
    const theme = this.theme;
    const fontPx = Math.max(10, Math.round(theme.fontSizePx * 0.85)) * pixelRatio;
    const margin = { left: mapMargin.left * pixelRatio, right: mapMargin.right * pixelRatio, top: mapMargin.top * pixelRatio, bottom: mapMargin.bottom * pixelRatio };
    const bounds = this.mapBounds(view);
    // Equal scales on both axes when the window is not too elongated, so that circles look like circles.
    let plotWidth = width - margin.left - margin.right;
    let plotHeight = height - margin.top - margin.bottom;
    const dataAspect = (bounds.yMax - bounds.yMin) / (bounds.xMax - bounds.xMin || 1);
    if (dataAspect > 1 / 3 && dataAspect < 3) {
      if (plotHeight / plotWidth > dataAspect) plotHeight = plotWidth * dataAspect;
      else plotWidth = plotHeight / dataAspect;
    }
    const geometry: MapGeometry = { left: margin.left, top: margin.top, width: plotWidth, height: plotHeight, ...bounds };
    this.geometry = geometry;
    const toX = (x: number): number => geometry.left + ((x - geometry.xMin) / (geometry.xMax - geometry.xMin || 1)) * geometry.width;
    const toY = (y: number): number => geometry.top + geometry.height - ((y - geometry.yMin) / (geometry.yMax - geometry.yMin || 1)) * geometry.height;

    context.fillStyle = theme.background;
    context.fillRect(0, 0, width, height);
    context.save();
    context.beginPath();
    context.rect(geometry.left, geometry.top, geometry.width, geometry.height);
    context.clip();
    const grid = view.grid;
    const scale = this.scale;
    if (grid && scale) {
      // Shading: one pixel per sample, scaled up with smoothing; low values take the strongest colour.
      const nx = grid.xs.length;
      const ny = grid.ys.length;
      const image = document.createElement('canvas');
      image.width = nx;
      image.height = ny;
      const imageContext = image.getContext('2d')!;
      const pixels = imageContext.createImageData(nx, ny);
      const background = parseRgb(theme.background, this.scratch);
      const accent = parseRgb(theme.lr, this.scratch);
      const strength = theme.kind.startsWith('high-contrast') ? 0.75 : 0.6;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const height01 = normalizedHeight(scale, grid.values[j * nx + i] ?? null);
          const [red, green, blue] = height01 === null ? background : mixRgb(background, accent, (1 - height01) * strength + 0.04);
          // Image rows run top to bottom, the y axis bottom to top.
          const offset = ((ny - 1 - j) * nx + i) * 4;
          pixels.data[offset] = red;
          pixels.data[offset + 1] = green;
          pixels.data[offset + 2] = blue;
          pixels.data[offset + 3] = 255;
        }
      }
      imageContext.putImageData(pixels, 0, 0);
      const cellWidth = geometry.width / Math.max(1, nx - 1);
      const cellHeight = geometry.height / Math.max(1, ny - 1);
      context.imageSmoothingEnabled = true;
      context.drawImage(image, geometry.left - cellWidth / 2, geometry.top - cellHeight / 2, geometry.width + cellWidth, geometry.height + cellHeight);

      const highContrast = theme.kind.startsWith('high-contrast');
      context.strokeStyle = withAlpha(theme.foreground, highContrast ? 0.55 : 0.28, this.scratch);
      context.lineWidth = pixelRatio;
      context.beginPath();
      for (const segments of this.contourSegments) {
        for (let index = 0; index + 3 < segments.length; index += 4) {
          context.moveTo(toX(segments[index]!), toY(segments[index + 1]!));
          context.lineTo(toX(segments[index + 2]!), toY(segments[index + 3]!));
        }
      }
      context.stroke();
    }
    // Known minima: a cross in a ring, in the foreground colour so that it reads on any shading.
    context.strokeStyle = theme.foreground;
    context.lineWidth = 1.5 * pixelRatio;
    for (const minimum of view.minima) {
      if (minimum.length < 2) continue;
      const x = toX(minimum[0]!);
      const y = toY(minimum[1]!);
      const size = 5 * pixelRatio;
      context.beginPath();
      context.moveTo(x - size, y - size);
      context.lineTo(x + size, y + size);
      context.moveTo(x + size, y - size);
      context.lineTo(x - size, y + size);
      context.stroke();
    }
    context.restore();

    // Frame, ticks and axis names.
    context.strokeStyle = withAlpha(theme.gridLines, 0.8, this.scratch);
    context.lineWidth = pixelRatio;
    context.strokeRect(geometry.left + 0.5, geometry.top + 0.5, geometry.width, geometry.height);
    context.fillStyle = theme.foreground;
    context.font = `${fontPx}px ${theme.fontFamily}`;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const tick of linearTicks(geometry.xMin, geometry.xMax, Math.max(2, Math.floor(geometry.width / (80 * pixelRatio))))) {
      const x = toX(tick);
      context.fillRect(x, geometry.top + geometry.height, pixelRatio, 4 * pixelRatio);
      context.fillText(formatValue(tick, 3), x, geometry.top + geometry.height + 6 * pixelRatio);
    }
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const tick of linearTicks(geometry.yMin, geometry.yMax, Math.max(2, Math.floor(geometry.height / (60 * pixelRatio))))) {
      const y = toY(tick);
      context.fillRect(geometry.left - 4 * pixelRatio, y, 4 * pixelRatio, pixelRatio);
      context.fillText(formatValue(tick, 3), geometry.left - 6 * pixelRatio, y);
    }
    context.fillStyle = theme.mutedForeground;
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    // Right under the tick labels, so that a plot rectangle shorter than the canvas leaves no band above the name.
    context.textBaseline = 'top';
    context.fillText('x', geometry.left + geometry.width / 2, geometry.top + geometry.height + 8 * pixelRatio + fontPx);
    context.textAlign = 'left';
    context.textBaseline = 'top';
    context.fillText('y', 4 * pixelRatio, geometry.top);
    if (scale?.logarithmic) {
      context.textAlign = 'right';
      context.textBaseline = 'bottom';
      context.fillText('log-spaced contours', width - margin.right, height - 2 * pixelRatio);
    }
    return layer;
  }

  private toCanvas(point: readonly number[]): { x: number; y: number } | null {
    const geometry = this.geometry;
    if (!geometry || point.length < 2 || !Number.isFinite(point[0]!) || !Number.isFinite(point[1]!)) return null;
    return {
      x: geometry.left + ((point[0]! - geometry.xMin) / (geometry.xMax - geometry.xMin || 1)) * geometry.width,
      y: geometry.top + geometry.height - ((point[1]! - geometry.yMin) / (geometry.yMax - geometry.yMin || 1)) * geometry.height,
    };
  }

  /** Each run: its whole path faint, the part up to the scrubber step strong, start and end marks, the current point. */
  private drawPaths(context: CanvasRenderingContext2D, view: SimulationSnapshot, pixelRatio: number): void {
    const geometry = this.geometry;
    if (!geometry) return;
    context.save();
    context.beginPath();
    context.rect(geometry.left, geometry.top, geometry.width, geometry.height);
    context.clip();
    context.lineJoin = 'round';
    const strokePath = (points: readonly (readonly number[])[], until: number): void => {
      context.beginPath();
      let penDown = false;
      for (let index = 0; index <= until && index < points.length; index++) {
        const position = this.toCanvas(points[index]!);
        if (position === null) {
          penDown = false;
          continue;
        }
        if (penDown) context.lineTo(position.x, position.y);
        else context.moveTo(position.x, position.y);
        penDown = true;
      }
      context.stroke();
    };
    view.runs.forEach((run, index) => {
      const color = this.runColor(index);
      context.strokeStyle = withAlpha(color, 0.4, this.scratch);
      context.lineWidth = 1 * pixelRatio;
      strokePath(run.x, run.x.length - 1);
      context.strokeStyle = color;
      context.lineWidth = this.theme.lineWidth * 1.3 * pixelRatio;
      strokePath(run.x, this.step);
      const start = run.x.length > 0 ? this.toCanvas(run.x[0]!) : null;
      if (start) {
        context.strokeStyle = color;
        context.fillStyle = this.theme.background;
        context.lineWidth = 2 * pixelRatio;
        context.beginPath();
        context.arc(start.x, start.y, 4.5 * pixelRatio, 0, Math.PI * 2);
        context.fill();
        context.stroke();
      }
      let lastIndex = run.x.length - 1;
      while (lastIndex >= 0 && this.toCanvas(run.x[lastIndex]!) === null) lastIndex--;
      const end = lastIndex > 0 ? this.toCanvas(run.x[lastIndex]!) : null;
      if (end) {
        const size = 4 * pixelRatio;
        context.fillStyle = color;
        context.strokeStyle = this.theme.background;
        context.lineWidth = 1.5 * pixelRatio;
        context.fillRect(end.x - size, end.y - size, 2 * size, 2 * size);
        context.strokeRect(end.x - size, end.y - size, 2 * size, 2 * size);
      }
    });
    // Current points last, so that no path covers them.
    view.runs.forEach((run, index) => {
      const point = pointAt(run, this.step);
      const position = point ? this.toCanvas(point) : null;
      if (!position) return;
      context.fillStyle = this.runColor(index);
      context.strokeStyle = this.theme.foreground;
      context.lineWidth = 1.5 * pixelRatio;
      context.beginPath();
      context.arc(position.x, position.y, 5.5 * pixelRatio, 0, Math.PI * 2);
      context.fill();
      context.stroke();
    });
    context.restore();
  }

  private markerPositions(): ({ x: number; y: number } | null)[] {
    const view = this.view;
    if (!view) return [];
    const pixelRatio = window.devicePixelRatio || 1;
    return view.runs.map((run) => {
      const point = pointAt(run, this.step);
      const position = point ? this.toCanvas(point) : null;
      return position ? { x: position.x / pixelRatio, y: position.y / pixelRatio } : null;
    });
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
    // The frame around the plot rectangle (axes and labels), as drawBaseLayer lays it out.
    const frameWidth = mapMargin.left + mapMargin.right;
    const frameHeight = mapMargin.top + mapMargin.bottom;
    const bounds = this.mapBounds(view);
    const dataAspect = (bounds.yMax - bounds.yMin) / (bounds.xMax - bounds.xMin || 1);
    const aspect = dataAspect > 1 / 3 && dataAspect < 3 ? dataAspect : 1;
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
      mapHeight = Math.min((width - frameWidth) * aspect + frameHeight, Math.max(200, available - 2 * (this.plotHeightPx + gap)));
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
    this.stepSizes = [];
    const view = this.view;
    if (!view || view.runs.length === 0) return;
    const steps = Array.from({ length: lastStepOf(view) + 1 }, (_unused, index) => index);
    const positiveOrNull = (value: number | null | undefined): number | null => (value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? value : null);
    const lossColumns = view.runs.map((run) => steps.map((step) => positiveOrNull(run.loss[step])));
    this.lossChart = new uPlot(
      this.plotOptions('loss (log)', view.runs.map((run, index) => ({ label: run.label, color: this.runColor(index), dashed: false })), []),
      [steps, ...lossColumns] as uPlot.AlignedData,
      this.elements.lossHost,
    );
    this.stepSizes = stepSizeSeries(view);
    if (this.stepSizes.length > 0) {
      // Step sizes belong to updates: update k (1-based) moved x[k-1] to x[k], so it is drawn at step k.
      const columns = this.stepSizes.map((series) => steps.map((step) => (step === 0 ? null : positiveOrNull(series.values[step - 1]))));
      this.stepSizeChart = new uPlot(
        this.plotOptions(
          'step size |Δx|/|g| (log)',
          this.stepSizes.map((series) => ({ label: series.label, color: this.runColor(series.runIndex), dashed: series.dashed })),
          boundLines(view),
        ),
        [steps, ...columns] as uPlot.AlignedData,
        this.elements.stepSizeHost,
      );
    }
    this.elements.stepSizeHost.hidden = this.stepSizeChart === null;
  }

  private plotOptions(yLabel: string, series: readonly { label: string; color: string; dashed: boolean }[], limits: readonly { limit: number; label: string }[]): uPlot.Options {
    const theme = this.theme;
    const pixelRatio = window.devicePixelRatio || 1;
    const font = `${Math.max(10, Math.round(theme.fontSizePx * 0.8))}px ${theme.fontFamily}`;
    const gridColor = withAlpha(theme.gridLines, theme.kind.startsWith('high-contrast') ? 0.6 : 0.25, this.scratch);
    const last = this.view ? lastStepOf(this.view) : 1;
    return {
      width: this.plotWidth(),
      height: this.plotHeight(),
      legend: { show: false },
      padding: [10, 12, 0, 4],
      scales: { x: { time: false, range: () => [0, Math.max(1, last)] }, y: { distr: 3, log: 10, range: (_chart, min, max) => logRange(min, max) } },
      axes: [
        { stroke: theme.foreground, font, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1, size: 3 }, size: Math.ceil(theme.fontSizePx + 10) },
        {
          stroke: theme.foreground,
          font,
          ...decadeAxis(gridColor),
          // A label about every 22 px at most.
          splits: (chart: uPlot, _axis: number, min: number, max: number) => decadeSplits(min, max, Math.floor(chart.bbox.height / (22 * pixelRatio)) || 6),
          size: 52,
          label: yLabel,
          labelFont: font,
          labelSize: Math.ceil(theme.fontSizePx + 4),
        },
      ],
      series: [
        { label: 'step' },
        ...series.map(
          (item): uPlot.Series => ({
            label: item.label,
            stroke: item.color,
            width: theme.lineWidth,
            ...(item.dashed ? { dash: [5 * pixelRatio, 3 * pixelRatio] } : {}),
            points: { show: false },
            spanGaps: false,
          }),
        ),
      ],
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
      hooks: {
        draw: [(chart) => this.drawStepLine(chart, limits)],
      },
    };
  }

  /** The scrubber step as a vertical line, and each proven lr limit (2/λmax, ...) as a dashed horizontal one. */
  private drawStepLine(chart: uPlot, limits: readonly { limit: number; label: string }[]): void {
    const pixelRatio = window.devicePixelRatio || 1;
    const { left, top, width, height } = chart.bbox;
    const context = chart.ctx;
    context.save();
    for (const { limit, label } of limits) {
      const y = chart.valToPos(limit, 'y', true);
      if (Number.isFinite(y) && y >= top && y <= top + height) {
        context.strokeStyle = this.theme.runEnd;
        context.setLineDash([5 * pixelRatio, 4 * pixelRatio]);
        context.lineWidth = pixelRatio;
        context.beginPath();
        context.moveTo(left, y);
        context.lineTo(left + width, y);
        context.stroke();
        context.setLineDash([]);
        context.fillStyle = this.theme.runEnd;
        context.font = `${Math.max(10, Math.round(this.theme.fontSizePx * 0.8)) * pixelRatio}px ${this.theme.fontFamily}`;
        context.textAlign = 'right';
        context.textBaseline = 'bottom';
        context.fillText(label, left + width - 4 * pixelRatio, y - 2 * pixelRatio);
      }
    }
    const x = Math.round(chart.valToPos(this.step, 'x', true)) + 0.5;
    // uPlot leaves the last dashed series' dash pattern on the context.
    context.setLineDash([]);
    context.strokeStyle = this.theme.foreground;
    context.globalAlpha = 0.7;
    context.lineWidth = pixelRatio;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, top + height);
    context.stroke();
    context.restore();
  }

  // ---- Heatmap ----

  private drawHeatmap(): void {
    const heatmap = this.view?.heatmap;
    const canvas = this.elements.heatmapCanvas;
    if (!heatmap) return;
    const theme = this.theme;
    const pixelRatio = window.devicePixelRatio || 1;
    const cssWidth = Math.max(240, Math.min(720, Math.floor(this.elements.heatmapSection.clientWidth || 480)));
    const cssHeight = Math.round(Math.min(360, Math.max(200, cssWidth * 0.55)));
    canvas.width = cssWidth * pixelRatio;
    canvas.height = cssHeight * pixelRatio;
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
    const context = canvas.getContext('2d')!;
    const fontPx = Math.max(10, Math.round(theme.fontSizePx * 0.8)) * pixelRatio;
    context.font = `${fontPx}px ${theme.fontFamily}`;
    context.fillStyle = theme.background;
    context.fillRect(0, 0, canvas.width, canvas.height);
    const margin = { left: 56 * pixelRatio, right: 70 * pixelRatio, top: 22 * pixelRatio, bottom: 38 * pixelRatio };
    const plotWidth = canvas.width - margin.left - margin.right;
    const plotHeight = canvas.height - margin.top - margin.bottom;
    const nx = Math.max(1, heatmap.xs.length);
    const ny = Math.max(1, heatmap.ys.length);
    const cellWidth = plotWidth / nx;
    const cellHeight = plotHeight / ny;
    const scale = levelScale(heatmap.values, 2);
    const background = parseRgb(theme.background, this.scratch);
    const accent = parseRgb(theme.lr, this.scratch);
    let best: { row: number; column: number; value: number } | null = null;
    for (let row = 0; row < ny; row++) {
      for (let column = 0; column < nx; column++) {
        const value = heatmap.values[row * nx + column] ?? null;
        const x = margin.left + column * cellWidth;
        const y = margin.top + plotHeight - (row + 1) * cellHeight;
        const height01 = scale ? normalizedHeight(scale, value) : null;
        if (height01 === null) {
          // A diverged cell: the error colour, faint, so that it reads as "no value" rather than "bad value".
          context.fillStyle = withAlpha(theme.runEnd, 0.35, this.scratch);
          context.fillRect(x, y, cellWidth, cellHeight);
          continue;
        }
        const [red, green, blue] = mixRgb(background, accent, 0.1 + (1 - height01) * 0.85);
        context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
        context.fillRect(x, y, cellWidth + 0.5, cellHeight + 0.5);
        if (value !== null && (best === null || value < best.value)) best = { row, column, value };
      }
    }
    if (best) {
      context.strokeStyle = theme.foreground;
      context.lineWidth = 2 * pixelRatio;
      context.strokeRect(margin.left + best.column * cellWidth + pixelRatio, margin.top + plotHeight - (best.row + 1) * cellHeight + pixelRatio, cellWidth - 2 * pixelRatio, cellHeight - 2 * pixelRatio);
    }
    context.fillStyle = theme.foreground;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    const xEvery = Math.max(1, Math.ceil(nx / Math.max(2, Math.floor(plotWidth / (64 * pixelRatio)))));
    for (let column = 0; column < nx; column += xEvery) {
      context.fillText(formatValue(heatmap.xs[column], 2), margin.left + (column + 0.5) * cellWidth, margin.top + plotHeight + 4 * pixelRatio);
    }
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    const yEvery = Math.max(1, Math.ceil(ny / Math.max(2, Math.floor(plotHeight / (22 * pixelRatio)))));
    for (let row = 0; row < ny; row += yEvery) {
      context.fillText(formatValue(heatmap.ys[row], 3), margin.left - 4 * pixelRatio, margin.top + plotHeight - (row + 0.5) * cellHeight);
    }
    context.fillStyle = theme.mutedForeground;
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    context.fillText(heatmap.xLabel, margin.left + plotWidth / 2, canvas.height - 2 * pixelRatio);
    context.textAlign = 'left';
    context.textBaseline = 'top';
    context.fillText(`${heatmap.yLabel} ↑   ${heatmap.metric}${scale?.logarithmic ? ' (log colour scale)' : ''}${best ? `, best ${formatValue(best.value, 3)} (outlined)` : ''}`, 4 * pixelRatio, 4 * pixelRatio);
    // Colour bar: low (strong) at the bottom, high (faint) at the top, and the diverged swatch.
    const barX = canvas.width - margin.right + 14 * pixelRatio;
    const barWidth = 12 * pixelRatio;
    for (let offset = 0; offset < plotHeight; offset++) {
      const [red, green, blue] = mixRgb(background, accent, 0.1 + (offset / plotHeight) * 0.85);
      context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
      context.fillRect(barX, margin.top + offset, barWidth, 1);
    }
    context.fillStyle = theme.foreground;
    context.textAlign = 'left';
    context.textBaseline = 'top';
    const range = finiteRange(heatmap.values);
    if (range) {
      context.fillText(formatValue(range.max, 2), barX + barWidth + 3 * pixelRatio, margin.top);
      context.textBaseline = 'bottom';
      context.fillText(formatValue(range.min, 2), barX + barWidth + 3 * pixelRatio, margin.top + plotHeight);
    }
    canvas.setAttribute('aria-label', `Heatmap of ${heatmap.metric} over ${heatmap.xLabel} and ${heatmap.yLabel}${best ? `; best ${formatValue(best.value, 3)} at ${heatmap.xLabel} ${formatValue(heatmap.xs[best.column])}, ${heatmap.yLabel} ${formatValue(heatmap.ys[best.row])}` : ''}`);
  }

  // ---- Export ----

  private exportAs(format: ExportFormat): void {
    const view = this.view;
    if (!view) return;
    const baseName = exportBaseNameOf(view.uri, 'landscape');
    if (format === 'csv') this.callbacks.exportFile('csv', `${baseName}.csv`, 'utf8', simulationCsv(view));
    else if (format === 'svg') this.callbacks.exportFile('svg', `${baseName}.svg`, 'utf8', this.svgText());
    else {
      const dataUrl = this.pngDataUrl();
      if (dataUrl !== null) this.callbacks.exportFile('png', `${baseName}.png`, 'base64', dataUrl.slice(dataUrl.indexOf(',') + 1));
    }
    this.elements.status.textContent = `Exporting ${format.toUpperCase()}…`;
  }

  /** Every visible canvas (map, plots, heatmap) placed as on screen, under a title line. */
  pngDataUrl(): string | null {
    const pixelRatio = window.devicePixelRatio || 1;
    const canvases = [...this.root.querySelectorAll('canvas')].filter((canvas) => canvas.getClientRects().length > 0 && canvas.width > 0);
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
    context.fillStyle = this.theme.background;
    context.fillRect(0, 0, output.width, output.height);
    context.font = `600 ${Math.round(this.theme.fontSizePx * pixelRatio)}px ${this.theme.fontFamily}`;
    context.textBaseline = 'middle';
    context.fillStyle = this.theme.foreground;
    context.fillText(`${this.elements.title.textContent ?? ''} · step ${this.step}`, 8 * pixelRatio, (header / 2) * pixelRatio);
    canvases.forEach((canvas, index) => {
      const rect = rects[index]!;
      context.drawImage(canvas, (rect.left - left + 8) * pixelRatio, (rect.top - top + header) * pixelRatio, rect.width * pixelRatio, rect.height * pixelRatio);
    });
    return output.toDataURL('image/png');
  }

  /** The map as vector contours, paths and markers, then the loss and step-size plots below it. */
  svgText(): string {
    const view = this.view;
    if (!view) return '';
    const theme = this.theme;
    const width = 720;
    const parts: string[] = [];
    let y = 0;
    const text = escapeXml(theme.foreground);
    parts.push(`<text x="12" y="20" fill="${text}" font-weight="600">${escapeXml(this.elements.title.textContent ?? '')}</text>`);
    y = 30;
    if (hasMap(view)) {
      const bounds = this.mapBounds(view);
      const size = 440;
      const left = (width - size) / 2;
      const top = y + 8;
      const toX = (value: number): number => left + ((value - bounds.xMin) / (bounds.xMax - bounds.xMin || 1)) * size;
      const toY = (value: number): number => top + size - ((value - bounds.yMin) / (bounds.yMax - bounds.yMin || 1)) * size;
      parts.push(`<defs><clipPath id="map-clip"><rect x="${left}" y="${top}" width="${size}" height="${size}"/></clipPath></defs>`);
      parts.push(`<g clip-path="url(#map-clip)">`);
      const scale = this.scale;
      this.contourSegments.forEach((segments, levelIndex) => {
        if (segments.length === 0) return;
        let path = '';
        for (let index = 0; index + 3 < segments.length; index += 4) {
          path += `M${round(toX(segments[index]!))} ${round(toY(segments[index + 1]!))}L${round(toX(segments[index + 2]!))} ${round(toY(segments[index + 3]!))}`;
        }
        const level = scale?.levels[levelIndex];
        parts.push(`<path d="${path}" fill="none" stroke="${escapeXml(theme.lr)}" stroke-opacity="${round(0.85 - (levelIndex / Math.max(1, this.contourSegments.length)) * 0.55)}" stroke-width="1"><title>f = ${escapeXml(formatValue(level, 3))}</title></path>`);
      });
      view.runs.forEach((run, index) => {
        const color = escapeXml(this.runColor(index));
        const points = run.x.filter((point) => point.length >= 2 && Number.isFinite(point[0]!) && Number.isFinite(point[1]!));
        if (points.length === 0) return;
        const path = points.map((point, position) => `${position === 0 ? 'M' : 'L'}${round(toX(point[0]!))} ${round(toY(point[1]!))}`).join('');
        parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"><title>${escapeXml(run.label)}</title></path>`);
        const start = points[0]!;
        const end = points[points.length - 1]!;
        parts.push(`<circle cx="${round(toX(start[0]!))}" cy="${round(toY(start[1]!))}" r="4.5" fill="${escapeXml(theme.background)}" stroke="${color}" stroke-width="2"/>`);
        parts.push(`<rect x="${round(toX(end[0]!) - 4)}" y="${round(toY(end[1]!) - 4)}" width="8" height="8" fill="${color}"/>`);
      });
      for (const minimum of view.minima) {
        if (minimum.length < 2) continue;
        const x = round(toX(minimum[0]!));
        const yy = round(toY(minimum[1]!));
        parts.push(`<path d="M${x - 5} ${yy - 5}L${x + 5} ${yy + 5}M${x + 5} ${yy - 5}L${x - 5} ${yy + 5}" stroke="${text}" stroke-width="1.5"/>`);
      }
      parts.push('</g>');
      parts.push(`<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="${escapeXml(theme.gridLines)}"/>`);
      for (const tick of linearTicks(bounds.xMin, bounds.xMax, 5)) {
        parts.push(`<text x="${round(toX(tick))}" y="${top + size + 14}" fill="${text}" text-anchor="middle">${escapeXml(formatTick(tick))}</text>`);
      }
      for (const tick of linearTicks(bounds.yMin, bounds.yMax, 5)) {
        parts.push(`<text x="${left - 6}" y="${round(toY(tick) + 4)}" fill="${text}" text-anchor="end">${escapeXml(formatTick(tick))}</text>`);
      }
      let legendX = left;
      view.runs.forEach((run, index) => {
        parts.push(`<line x1="${legendX}" y1="${top + size + 30}" x2="${legendX + 18}" y2="${top + size + 30}" stroke="${escapeXml(this.runColor(index))}" stroke-width="2"/>`);
        parts.push(`<text x="${legendX + 22}" y="${top + size + 34}" fill="${text}">${escapeXml(run.label)}</text>`);
        legendX += 40 + run.label.length * 7;
      });
      y = top + size + 44;
    }
    const chartSvg = (chart: uPlot | null, title: string, labels: readonly { label: string; color: string; dashed: boolean }[]): void => {
      if (!chart) return;
      const data = chart.data;
      const xs = data[0] as number[];
      const yScale = chart.scales.y;
      const min = typeof yScale?.min === 'number' && yScale.min > 0 ? yScale.min : 1e-12;
      const max = typeof yScale?.max === 'number' && yScale.max > min ? yScale.max : min * 10;
      parts.push(
        lineChartSvgBody(
          {
            width,
            height: 220,
            title,
            theme,
            x: { label: 'step', log: false, min: 0, max: Math.max(1, xs[xs.length - 1] ?? 1) },
            y: { label: title, log: true, min, max },
            series: labels.map((item, index) => ({ label: item.label, xs, ys: data[index + 1] as (number | null)[], color: item.color, width: theme.lineWidth, dashed: item.dashed })),
            markers: [{ x: this.step, label: `step ${this.step}`, color: theme.mutedForeground, dashed: true }],
          },
          0,
          y,
        ),
      );
      y += 230;
    };
    chartSvg(this.lossChart, 'loss', view.runs.map((run, index) => ({ label: run.label, color: this.runColor(index), dashed: false })));
    chartSvg(this.stepSizeChart, 'step size', this.stepSizes.map((series) => ({ label: series.label, color: this.runColor(series.runIndex), dashed: series.dashed })));
    const height = Math.max(y, 120);
    return [svgOpen(width, height, theme, this.elements.title.textContent ?? 'landscape'), ...parts, '</svg>'].join('\n') + '\n';
  }
}
