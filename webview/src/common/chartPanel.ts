// What the panel views do around their charts alike: start up, follow the editor's theme, build a result panel's
// toolbar and status line, frame and size a chart, count paints for the tests, move a readout with the keyboard, and
// export (PNG under a title line, SVG, CSV).

import type uPlot from 'uplot';
import type { ExportFormat } from '../protocol';
import { exportButtons, exportResultText, notesAndStatus, panelHeader } from './dom';
import { readPlotTheme, type PlotTheme } from './theme';
import type { ExportFile } from './webviewHost';

/**
 * Calls `onChange` with the new theme when VS Code switches it (it changes the body's classes and the CSS
 * variables on the root elements); changes that leave the plot theme as it was are passed over.
 */
function watchPlotTheme(current: () => PlotTheme, onChange: (theme: PlotTheme) => void): void {
  const observer = new MutationObserver(() => {
    const theme = readPlotTheme(document.body);
    if (JSON.stringify(theme) !== JSON.stringify(current())) onChange(theme);
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
}

/** What a chart panel view asks of its owner at the least: a way to send an export to the host. */
export interface ChartPanelCallbacks {
  readonly exportFile: ExportFile;
}

/** The elements around a result panel's own: the toolbar's title and export buttons, the notes and the status line. */
export interface ResultPanelChrome {
  readonly title: HTMLElement;
  readonly exportButtons: Record<ExportFormat, HTMLButtonElement>;
  readonly notes: HTMLElement;
  readonly status: HTMLElement;
}

/**
 * What every chart panel view shares: its root element and its owner's callbacks, the editor's plot theme (followed
 * as VS Code switches it: the panel is then rendered again), a scratch canvas context for normalising colours, the
 * start-up once the view's own fields are set, and the export wiring.
 */
export abstract class ChartPanelBase<Callbacks extends ChartPanelCallbacks = ChartPanelCallbacks> {
  protected theme: PlotTheme = readPlotTheme(document.body);
  protected readonly scratch: CanvasRenderingContext2D = document.createElement('canvas').getContext('2d')!;

  protected constructor(
    protected readonly root: HTMLElement,
    protected readonly callbacks: Callbacks,
  ) {
    watchPlotTheme(
      () => this.theme,
      (theme) => {
        this.theme = theme;
        this.render();
      },
    );
  }

  /** Draws the whole panel from its state. */
  protected abstract render(): void;

  /** Fits the charts to their area after it changed size. */
  protected abstract onResize(): void;

  /**
   * Starts the view; its constructor calls this last, once its own fields are set: follows the size of `area`, then
   * draws the first time with `draw`.
   */
  protected start(area: HTMLElement, draw: () => void = () => this.render()): void {
    new ResizeObserver(() => this.onResize()).observe(area);
    draw();
  }

  /**
   * A result panel's DOM: the toolbar with the title and the export buttons (`exportContents` is what their tooltips
   * say they hold), the panel's own elements from `buildBody`, then the notes and the status line.
   */
  protected buildResultPanelDom<Body extends object>(
    className: string,
    exportContents: { readonly drawing: string; readonly csv: string },
    buildBody: () => Body,
  ): Body & ResultPanelChrome {
    const { header, title } = panelHeader(this.root, className);
    const exportButtons = this.addExportButtons(header, exportContents);
    const body = buildBody();
    return { ...body, title, exportButtons, ...notesAndStatus(this.root) };
  }

  /** The status line, where exports report. */
  protected abstract statusLine(): HTMLElement;

  /** The exported files' base name and the CSV text, or `null` while there is nothing to export. */
  protected abstract exportSource(): { readonly baseName: string; readonly csv: () => string } | null;

  /** The PNG export as a data URL, `null` when nothing is drawn. */
  abstract pngDataUrl(): string | null;

  /** The SVG export. */
  abstract svgText(): string;

  /** Counts a finished paint on the root (`data-paint-count`), so that browser tests wait for paints, not time. */
  protected countPaint(): void {
    this.root.dataset.paintCount = String(Number(this.root.dataset.paintCount ?? '0') + 1);
  }

  /** The host's answer to an export: saved where, cancelled, or failed. */
  showExportResult(format: ExportFormat, savedTo: string | null, error: string | undefined): void {
    this.statusLine().textContent = exportResultText(format, savedTo, error);
  }

  /** The toolbar's PNG / SVG / CSV buttons, wired to the export; `contents` is what their tooltips say they hold. */
  protected addExportButtons(
    parent: HTMLElement,
    contents: { readonly drawing: string; readonly csv: string },
  ): Record<ExportFormat, HTMLButtonElement> {
    return exportButtons(parent, contents, (format) => this.exportAs(format));
  }

  /** Sends the export in `format` as `baseName.format` and says so on the status line. */
  protected exportAs(format: ExportFormat): void {
    const source = this.exportSource();
    if (source === null) return;
    const { baseName } = source;
    if (format === 'png') {
      const dataUrl = this.pngDataUrl();
      if (dataUrl !== null)
        this.callbacks.exportFile('png', `${baseName}.png`, 'base64', dataUrl.slice(dataUrl.indexOf(',') + 1));
    } else {
      this.callbacks.exportFile(
        format,
        `${baseName}.${format}`,
        'utf8',
        format === 'csv' ? source.csv() : this.svgText(),
      );
    }
    const status = this.statusLine();
    status.textContent = `Exporting ${format.toUpperCase()}…`;
    status.classList.remove('is-error');
  }
}

/** The chart size for `area` in CSS pixels, never under the minimums. */
export function plotAreaSize(
  area: HTMLElement,
  minimumWidth: number,
  minimumHeight: number,
): { width: number; height: number } {
  return {
    width: Math.max(minimumWidth, Math.floor(area.clientWidth)),
    height: Math.max(minimumHeight, Math.floor(area.clientHeight)),
  };
}

/**
 * The uPlot options every chart starts from: its size and padding in CSS pixels, and no uPlot legend (each panel
 * draws its own).
 */
export function chartFrame(
  size: { readonly width: number; readonly height: number },
  padding: uPlot.Padding,
): Pick<uPlot.Options, 'width' | 'height' | 'legend' | 'padding'> {
  return { width: size.width, height: size.height, legend: { show: false }, padding };
}

/**
 * Where the arrow keys (`jump` at a time), Home and End move a readout at `current` between `first` and `last`;
 * `null` for any other key.
 */
export function readoutKeyTarget(
  key: string,
  current: number,
  jump: number,
  first: number,
  last: number,
): number | null {
  return key === 'ArrowRight'
    ? current + jump
    : key === 'ArrowLeft'
      ? current - jump
      : key === 'Home'
        ? first
        : key === 'End'
          ? last
          : null;
}

/** Fills `context`'s canvas with the editor background and writes `title` in bold at the left, centred on `y`. */
export function drawTitleBand(
  context: CanvasRenderingContext2D,
  title: string,
  theme: PlotTheme,
  pixelRatio: number,
  y: number,
): void {
  context.fillStyle = theme.background;
  context.fillRect(0, 0, context.canvas.width, context.canvas.height);
  context.font = `600 ${Math.round(theme.fontSizePx * pixelRatio)}px ${theme.fontFamily}`;
  context.textBaseline = 'middle';
  context.fillStyle = theme.foreground;
  context.fillText(title, 8 * pixelRatio, y);
}

/**
 * The chart canvas `source` under a title line, on the editor background, as a PNG data URL; `drawHeader` may add
 * to the title line (a legend) before the chart is copied in.
 */
export function titledChartPng(
  source: HTMLCanvasElement,
  title: string,
  theme: PlotTheme,
  drawHeader: (context: CanvasRenderingContext2D, headerHeight: number, pixelRatio: number) => void = () => {},
): string | null {
  const pixelRatio = window.devicePixelRatio || 1;
  const headerHeight = Math.round(28 * pixelRatio);
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height + headerHeight;
  const context = canvas.getContext('2d');
  if (!context) return null;
  drawTitleBand(context, title, theme, pixelRatio, headerHeight / 2);
  drawHeader(context, headerHeight, pixelRatio);
  context.drawImage(source, 0, headerHeight);
  return canvas.toDataURL('image/png');
}
