// Small DOM builders every panel view uses for its toolbar and layout.

import type { ExportFormat } from '../protocol';

/** Creates an element with a class and appends it to `parent`. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent: HTMLElement,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  parent.appendChild(element);
  return element;
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
 * The PNG / SVG / CSV export buttons every panel's toolbar has, in an `Export` group; `descriptions` are the
 * tooltips (what each format holds in that panel).
 */
export function exportButtons(
  parent: HTMLElement,
  descriptions: Record<ExportFormat, string>,
  onExport: (format: ExportFormat) => void,
): Record<ExportFormat, HTMLButtonElement> {
  const group = make('div', 'export-group', parent);
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Export');
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
