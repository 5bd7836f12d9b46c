// The drawing list that the SVG writer (CLI and panel exports) and the CLI's PNG rasterizer render: one picture.

import { bitmapTextWidth } from './font';

/** A colour as `#rrggbb`. */
export type PlotColor = string;

export interface SceneRect {
  readonly kind: 'rect';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill: PlotColor;
  /** 0..1; 1 when absent. */
  readonly opacity?: number;
  readonly role?: string;
}

export interface SceneLine {
  readonly kind: 'line';
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly color: PlotColor;
  readonly width: number;
  /** Dash and gap lengths in pixels; a solid line when absent. */
  readonly dash?: readonly number[];
  readonly role?: string;
}

export interface ScenePolyline {
  readonly kind: 'polyline';
  /** Pixel coordinates as x0, y0, x1, y1, ...; at least two points. */
  readonly points: readonly number[];
  readonly color: PlotColor;
  readonly width: number;
  readonly dash?: readonly number[];
  /** 0..1; 1 when absent. */
  readonly opacity?: number;
  readonly role?: string;
  /** The series label, so that readers of the SVG can find a curve. */
  readonly label?: string;
}

export interface SceneText {
  readonly kind: 'text';
  /** The anchor point; `y` is the baseline. */
  readonly x: number;
  readonly y: number;
  readonly text: string;
  /** 1 for labels (about 10 px type), 2 for the title. The PNG font draws each font pixel as scale x scale. */
  readonly scale: number;
  readonly color: PlotColor;
  readonly anchor: 'start' | 'middle' | 'end';
  /** Degrees; -90 reads upwards (left axis title), 90 downwards (right axis title). */
  readonly rotate?: 0 | -90 | 90;
  readonly role?: string;
}

export type SceneItem = SceneRect | SceneLine | ScenePolyline | SceneText;

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly background: PlotColor;
  readonly title: string;
  readonly items: readonly SceneItem[];
}

/** Pixel width of `text` at `scale`; the SVG uses a proportional font that is never wider than this. */
export function textWidth(text: string, scale: number): number {
  return bitmapTextWidth(text) * scale;
}

/** Cuts `text` to at most `maxWidth` pixels at `scale`, ending with `...` when cut. */
export function fitText(text: string, scale: number, maxWidth: number): string {
  if (textWidth(text, scale) <= maxWidth) return text;
  const characters = Array.from(text);
  let keep = characters.length;
  while (keep > 0 && textWidth(`${characters.slice(0, keep).join('')}...`, scale) > maxWidth) keep--;
  return keep > 0 ? `${characters.slice(0, keep).join('')}...` : '';
}

export interface PlotTheme {
  readonly background: PlotColor;
  readonly text: PlotColor;
  readonly mutedText: PlotColor;
  readonly grid: PlotColor;
  readonly minorGrid: PlotColor;
  readonly axis: PlotColor;
  readonly marker: PlotColor;
  readonly error: PlotColor;
  /** Series colours in order of use. */
  readonly palette: readonly PlotColor[];
  /** Accent colours for markers that deserve attention (warm-up end, peak, restarts). */
  readonly accents: { readonly warmup: PlotColor; readonly peak: PlotColor; readonly restart: PlotColor };
}

const LIGHT_THEME: PlotTheme = {
  background: '#ffffff',
  text: '#1f2328',
  mutedText: '#57606a',
  grid: '#e6e9ed',
  minorGrid: '#f3f4f6',
  axis: '#8c959f',
  marker: '#6e7781',
  error: '#cf222e',
  palette: ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2'],
  accents: { warmup: '#8250df', peak: '#b45309', restart: '#bf3989' },
};

const DARK_THEME: PlotTheme = {
  background: '#0d1117',
  text: '#e6edf3',
  mutedText: '#8b949e',
  grid: '#262c36',
  minorGrid: '#161b22',
  axis: '#6e7681',
  marker: '#8b949e',
  error: '#ff7b72',
  palette: ['#58a6ff', '#f0883e', '#3fb950', '#bc8cff', '#ff7b72', '#39c5cf'],
  accents: { warmup: '#d2a8ff', peak: '#e3b341', restart: '#f778ba' },
};

/** A built-in theme by name; a panel passes its own colours (the editor's theme) as a `PlotTheme`. */
export function plotTheme(theme: 'light' | 'dark' | PlotTheme | undefined): PlotTheme {
  if (typeof theme === 'object') return theme;
  return theme === 'dark' ? DARK_THEME : LIGHT_THEME;
}
