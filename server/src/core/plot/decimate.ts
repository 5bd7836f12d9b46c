// Per-pixel-column min/max decimation, so that a million-step curve draws exactly and stays small.

/**
 * Splits a curve given in pixel coordinates into drawable pieces and thins each piece to at most
 * two points per pixel column: the lowest and the highest point of the column, in their original
 * order. A non-finite coordinate ends a piece (a gap in the curve). Curves with at most
 * `2 * columnCount` points are kept whole. Each piece is a flat list x0, y0, x1, y1, ...
 * Invariant: every column's extreme y values in the input appear in the output.
 */
export function decimateByPixelColumn(
  pixelX: ArrayLike<number>,
  pixelY: ArrayLike<number>,
  columnCount: number,
): number[][] {
  const count = Math.min(pixelX.length, pixelY.length);
  const thin = count > 2 * Math.max(1, columnCount);
  const pieces: number[][] = [];
  let piece: number[] = [];
  // The column being collected and the indices of its lowest and highest point.
  let column = Number.NaN;
  let lowIndex = -1;
  let highIndex = -1;

  const flushColumn = () => {
    if (lowIndex < 0) return;
    const first = Math.min(lowIndex, highIndex);
    const second = Math.max(lowIndex, highIndex);
    piece.push(pixelX[first]!, pixelY[first]!);
    if (second !== first) piece.push(pixelX[second]!, pixelY[second]!);
    lowIndex = -1;
    highIndex = -1;
  };
  const endPiece = () => {
    flushColumn();
    if (piece.length >= 4) pieces.push(piece);
    else if (piece.length === 2) pieces.push([piece[0]!, piece[1]!, piece[0]!, piece[1]!]);
    piece = [];
    column = Number.NaN;
  };

  for (let index = 0; index < count; index++) {
    const x = pixelX[index]!;
    const y = pixelY[index]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      endPiece();
      continue;
    }
    if (!thin) {
      piece.push(x, y);
      continue;
    }
    const pointColumn = Math.floor(x);
    if (pointColumn !== column) {
      flushColumn();
      column = pointColumn;
    }
    if (lowIndex < 0) {
      lowIndex = index;
      highIndex = index;
    } else {
      // Pixel y grows downwards; "low" and "high" here are in data terms only by convention.
      if (y < pixelY[lowIndex]!) lowIndex = index;
      if (y > pixelY[highIndex]!) highIndex = index;
    }
  }
  endPiece();
  return pieces;
}
