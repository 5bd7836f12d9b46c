// Small DOM builders every panel view uses for its toolbar and layout.

import type { ExportFormat } from '../protocol';

/** Creates an element with a class (and `attributes`, e.g. its ARIA role) and appends it to `parent`. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent: HTMLElement,
  attributes: Readonly<Record<string, string>> = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  parent.appendChild(element);
  return element;
}

/** The panel's header: marks `root` as a `className` panel and opens its toolbar with the title. */
export function panelHeader(root: HTMLElement, className: string): { header: HTMLElement; title: HTMLElement } {
  root.classList.add(className);
  const header = make('header', 'toolbar', root);
  return { header, title: make('h1', 'title', header) };
}

/** The notes list and the status line that end a result panel (range test, landscape). */
export function notesAndStatus(root: HTMLElement): { notes: HTMLElement; status: HTMLElement } {
  return {
    notes: make('ul', 'notes', root, { 'aria-label': 'Notes' }),
    status: make('div', 'status', root, { role: 'status' }),
  };
}

/** What a screen reader says of a chart's plot: its kind (`aria-roledescription`) and how to use it. */
export interface PlotDescription {
  readonly roleDescription: string;
  readonly label: string;
}

/**
 * A chart's area in `parent` and the element the chart is drawn in, described by `description`; it takes the
 * keyboard focus so that the keys move the chart's readout: `handlers.keydown` gets the keys, `handlers.focus` runs
 * when it gains focus.
 */
export function readoutPlot(
  parent: HTMLElement,
  description: PlotDescription,
  handlers: { readonly keydown: (event: KeyboardEvent) => void; readonly focus: () => void },
): { plotArea: HTMLElement; plotHost: HTMLElement } {
  const plotArea = make('div', 'plot-area', parent);
  const plotHost = make('div', 'plot', plotArea, {
    role: 'application',
    'aria-roledescription': description.roleDescription,
    'aria-label': description.label,
  });
  plotHost.tabIndex = 0;
  plotHost.addEventListener('keydown', handlers.keydown);
  plotHost.addEventListener('focus', handlers.focus);
  return { plotArea, plotHost };
}

/** A line-style sample in `color` (`className` says solid, dashed or faint), as in legends and readouts. */
export function swatch(color: string, className: string): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.style.borderTopColor = color;
  return element;
}

/** Appends a legend entry to `legend`: the swatch, then the label. */
export function legendItem(legend: HTMLElement, label: string, color: string, swatchClass: string): HTMLElement {
  const item = make('span', 'legend-item', legend);
  item.append(swatch(color, swatchClass), document.createTextNode(label));
  return item;
}

/** Replaces the items of `list` with one `<li>` per line. */
export function fillList(list: HTMLElement, lines: readonly string[]): void {
  list.replaceChildren();
  for (const line of lines) {
    const item = document.createElement('li');
    item.textContent = line;
    list.appendChild(item);
  }
}

/** A real <button> (keyboard accessible) with a visible label and a description for the tooltip. */
export function button(
  parent: HTMLElement,
  label: string,
  description: string,
  onClick: () => void,
): HTMLButtonElement {
  const element = make('button', 'control', parent);
  element.type = 'button';
  element.textContent = label;
  element.title = description;
  element.addEventListener('click', onClick);
  return element;
}

/**
 * The PNG / SVG / CSV export buttons every panel's toolbar has, in an `Export` group; their tooltips say what each
 * format holds in that panel: `drawing` for the PNG and SVG ("the plot"), `csv` for the CSV.
 */
export function exportButtons(
  parent: HTMLElement,
  contents: { readonly drawing: string; readonly csv: string },
  onExport: (format: ExportFormat) => void,
): Record<ExportFormat, HTMLButtonElement> {
  const descriptions: Record<ExportFormat, string> = {
    png: `Export ${contents.drawing} as a PNG image`,
    svg: `Export ${contents.drawing} as an SVG drawing`,
    csv: contents.csv,
  };
  const group = make('div', 'export-group', parent, { role: 'group', 'aria-label': 'Export' });
  const make1 = (format: ExportFormat): HTMLButtonElement => {
    const element = button(group, format.toUpperCase(), descriptions[format], () => onExport(format));
    element.setAttribute('aria-label', `Export ${format.toUpperCase()}`);
    return element;
  };
  return { png: make1('png'), svg: make1('svg'), csv: make1('csv') };
}

/** The status line after an export: saved where, cancelled, or failed and why. */
export function exportResultText(format: ExportFormat, savedTo: string | null, error: string | undefined): string {
  const name = format.toUpperCase();
  return error !== undefined
    ? `${name} export failed: ${error}`
    : savedTo === null
      ? `${name} export cancelled.`
      : `Saved ${name} to ${savedTo}.`;
}
