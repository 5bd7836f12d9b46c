// Where the marker labels go: beside their line, inside the plot's width, in as many rows as they need.
//
// Invariant: every label is placed (none is dropped), no label reaches past `left`/`right`, and no two labels in
// one row overlap (with `gap` between them). Pure, so it is tested without a browser.

export interface LabelToPlace {
  /** The x of the marker line the label belongs to. */
  readonly anchor: number;
  readonly width: number;
}

export interface PlacedLabel {
  /** The label's left edge. */
  readonly x: number;
  /** 0 for the top row, 1 for the row under it, ... */
  readonly row: number;
}

/**
 * Places labels in the order given (sort them by anchor first). Each label prefers the right of its line, then the
 * left of it, in the first row where it fits; a label that fits in no row opens a new one. A label wider than the
 * whole width starts at `left`.
 */
export function layoutMarkerLabels(
  labels: readonly LabelToPlace[],
  bounds: { readonly left: number; readonly right: number },
  gap: number,
): PlacedLabel[] {
  const clamp = (x: number, width: number): number => Math.max(bounds.left, Math.min(x, bounds.right - width));
  /** Occupied [from, to] spans per row. */
  const rows: { from: number; to: number }[][] = [];
  const fits = (row: { from: number; to: number }[], from: number, to: number): boolean =>
    row.every((span) => to + gap <= span.from || from >= span.to + gap);
  return labels.map((label) => {
    const candidates = [clamp(label.anchor + gap, label.width), clamp(label.anchor - gap - label.width, label.width)];
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const x = candidates.find((candidate) => fits(row, candidate, candidate + label.width));
      if (x !== undefined) {
        row.push({ from: x, to: x + label.width });
        return { x, row: index };
      }
    }
    const x = candidates[0]!;
    rows.push([{ from: x, to: x + label.width }]);
    return { x, row: rows.length - 1 };
  });
}
