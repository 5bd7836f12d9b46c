// Small DOM builders every panel view uses for its toolbar and layout.

/** Creates an element with a class and appends it to `parent`. */
export function make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  parent.appendChild(element);
  return element;
}

/** A real <button> (keyboard accessible) with a visible label and a description for the tooltip. */
export function button(parent: HTMLElement, label: string, description: string, onClick: () => void): HTMLButtonElement {
  const element = make('button', 'control', parent);
  element.type = 'button';
  element.textContent = label;
  element.title = description;
  element.addEventListener('click', onClick);
  return element;
}
