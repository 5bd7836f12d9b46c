// Reads the VS Code theme from the CSS variables and body classes that VS Code gives every webview.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface PlotTheme {
  readonly kind: ThemeKind;
  readonly background: string;
  readonly foreground: string;
  readonly mutedForeground: string;
  readonly gridLines: string;
  readonly lr: string;
  readonly momentum: string;
  readonly beta1: string;
  readonly pinned: string;
  readonly marker: string;
  readonly runEnd: string;
  readonly fontFamily: string;
  readonly fontSizePx: number;
  /** Line width in CSS pixels; high contrast themes draw thicker lines. */
  readonly lineWidth: number;
}

/** Colours used when a variable is missing, e.g. when the bundle is opened outside VS Code. */
export const fallbackDark = {
  background: '#1f1f1f',
  foreground: '#cccccc',
  mutedForeground: '#9d9d9d',
  gridLines: 'rgba(204, 204, 204, 0.18)',
  lr: '#3794ff',
  momentum: '#d18616',
  beta1: '#89d185',
  pinned: '#b180d7',
  marker: '#cca700',
  runEnd: '#f14c4c',
} as const;

function themeKindOf(body: HTMLElement): ThemeKind {
  if (body.classList.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (body.classList.contains('vscode-high-contrast')) return 'high-contrast';
  if (body.classList.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readPlotTheme(body: HTMLElement): PlotTheme {
  const style = getComputedStyle(body);
  const variable = (name: string, fallback: string): string => {
    const value = style.getPropertyValue(name).trim();
    return value.length > 0 ? value : fallback;
  };
  const kind = themeKindOf(body);
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const foreground = variable('--vscode-editor-foreground', variable('--vscode-foreground', fallbackDark.foreground));
  const fontSize = Number.parseFloat(variable('--vscode-font-size', '13px'));
  return {
    kind,
    background: variable('--vscode-editor-background', fallbackDark.background),
    foreground,
    mutedForeground: variable('--vscode-descriptionForeground', fallbackDark.mutedForeground),
    // `charts.lines` is meant for grid lines but is strong in most themes, so it is drawn faded (see the grid
    // options); high contrast themes keep it at full strength.
    gridLines: variable('--vscode-charts-lines', fallbackDark.gridLines),
    lr: variable('--vscode-charts-blue', fallbackDark.lr),
    momentum: variable('--vscode-charts-orange', fallbackDark.momentum),
    beta1: variable('--vscode-charts-green', fallbackDark.beta1),
    pinned: variable('--vscode-charts-purple', fallbackDark.pinned),
    marker: variable('--vscode-charts-yellow', fallbackDark.marker),
    runEnd: variable('--vscode-charts-red', fallbackDark.runEnd),
    fontFamily: variable('--vscode-font-family', 'system-ui, sans-serif'),
    fontSizePx: Number.isFinite(fontSize) && fontSize > 0 ? fontSize : 13,
    lineWidth: highContrast ? 2.25 : 1.5,
  };
}

/** `color` with its alpha multiplied by `alpha`, for any colour the canvas understands. */
export function withAlpha(color: string, alpha: number, scratch: CanvasRenderingContext2D): string {
  scratch.fillStyle = '#000000';
  scratch.fillStyle = color;
  const normalized = scratch.fillStyle;
  if (normalized.startsWith('#') && normalized.length === 7) {
    const red = Number.parseInt(normalized.slice(1, 3), 16);
    const green = Number.parseInt(normalized.slice(3, 5), 16);
    const blue = Number.parseInt(normalized.slice(5, 7), 16);
    return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
  }
  const match = /^rgba?\(([^,]+),([^,]+),([^,)]+)(?:,([^)]+))?\)$/.exec(normalized.replace(/\s+/g, ''));
  if (match) {
    const existingAlpha = match[4] === undefined ? 1 : Number(match[4]);
    return `rgba(${match[1]}, ${match[2]}, ${match[3]}, ${existingAlpha * alpha})`;
  }
  return normalized;
}
