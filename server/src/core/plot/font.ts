// A 5x7 bitmap font for printable ASCII, used by the PNG rasterizer for titles, legends and tick labels.

/**
 * Each glyph is rows of five cells, top to bottom, separated by spaces: `X` is ink, `.` is paper.
 * The first seven rows sit on the baseline (capital height 7); up to two more rows hang below it
 * for descenders (g, j, p, q, y, comma, underscore).
 */
const GLYPH_ROWS: Readonly<Record<string, string>> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '!': '..X.. ..X.. ..X.. ..X.. ..X.. ..... ..X..',
  '"': '.X.X. .X.X. ..... ..... ..... ..... .....',
  '#': '.X.X. .X.X. XXXXX .X.X. XXXXX .X.X. .X.X.',
  $: '..X.. .XXXX X.X.. .XXX. ..X.X XXXX. ..X..',
  '%': 'XX... XX..X ...X. ..X.. .X... X..XX ...XX',
  '&': '.XX.. X..X. X.X.. .X... X.X.X X..X. .XX.X',
  "'": '..X.. ..X.. ..... ..... ..... ..... .....',
  '(': '...X. ..X.. .X... .X... .X... ..X.. ...X.',
  ')': '.X... ..X.. ...X. ...X. ...X. ..X.. .X...',
  '*': '..... ..X.. X.X.X .XXX. X.X.X ..X.. .....',
  '+': '..... ..X.. ..X.. XXXXX ..X.. ..X.. .....',
  ',': '..... ..... ..... ..... ..... ..XX. ..XX. ...X. ..X..',
  '-': '..... ..... ..... .XXX. ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .XX.. .XX..',
  '/': '..... ....X ...X. ..X.. .X... X.... .....',
  '0': '.XXX. X...X X..XX X.X.X XX..X X...X .XXX.',
  '1': '..X.. .XX.. ..X.. ..X.. ..X.. ..X.. .XXX.',
  '2': '.XXX. X...X ....X ...X. ..X.. .X... XXXXX',
  '3': 'XXXXX ...X. ..X.. ...X. ....X X...X .XXX.',
  '4': '...X. ..XX. .X.X. X..X. XXXXX ...X. ...X.',
  '5': 'XXXXX X.... XXXX. ....X ....X X...X .XXX.',
  '6': '..XX. .X... X.... XXXX. X...X X...X .XXX.',
  '7': 'XXXXX ....X ...X. ..X.. .X... .X... .X...',
  '8': '.XXX. X...X X...X .XXX. X...X X...X .XXX.',
  '9': '.XXX. X...X X...X .XXXX ....X ...X. .XX..',
  ':': '..... .XX.. .XX.. ..... .XX.. .XX.. .....',
  ';': '..... .XX.. .XX.. ..... .XX.. ..X.. .X...',
  '<': '...X. ..X.. .X... X.... .X... ..X.. ...X.',
  '=': '..... ..... XXXXX ..... XXXXX ..... .....',
  '>': '.X... ..X.. ...X. ....X ...X. ..X.. .X...',
  '?': '.XXX. X...X ....X ...X. ..X.. ..... ..X..',
  '@': '.XXX. X...X ....X .XX.X X.X.X X.X.X .XXX.',
  A: '.XXX. X...X X...X XXXXX X...X X...X X...X',
  B: 'XXXX. X...X X...X XXXX. X...X X...X XXXX.',
  C: '.XXX. X...X X.... X.... X.... X...X .XXX.',
  D: 'XXX.. X..X. X...X X...X X...X X..X. XXX..',
  E: 'XXXXX X.... X.... XXXX. X.... X.... XXXXX',
  F: 'XXXXX X.... X.... XXXX. X.... X.... X....',
  G: '.XXX. X...X X.... X.XXX X...X X...X .XXXX',
  H: 'X...X X...X X...X XXXXX X...X X...X X...X',
  I: '.XXX. ..X.. ..X.. ..X.. ..X.. ..X.. .XXX.',
  J: '..XXX ...X. ...X. ...X. ...X. X..X. .XX..',
  K: 'X...X X..X. X.X.. XX... X.X.. X..X. X...X',
  L: 'X.... X.... X.... X.... X.... X.... XXXXX',
  M: 'X...X XX.XX X.X.X X.X.X X...X X...X X...X',
  N: 'X...X X...X XX..X X.X.X X..XX X...X X...X',
  O: '.XXX. X...X X...X X...X X...X X...X .XXX.',
  P: 'XXXX. X...X X...X XXXX. X.... X.... X....',
  Q: '.XXX. X...X X...X X...X X.X.X X..X. .XX.X',
  R: 'XXXX. X...X X...X XXXX. X.X.. X..X. X...X',
  S: '.XXXX X.... X.... .XXX. ....X ....X XXXX.',
  T: 'XXXXX ..X.. ..X.. ..X.. ..X.. ..X.. ..X..',
  U: 'X...X X...X X...X X...X X...X X...X .XXX.',
  V: 'X...X X...X X...X X...X X...X .X.X. ..X..',
  W: 'X...X X...X X...X X.X.X X.X.X X.X.X .X.X.',
  X: 'X...X X...X .X.X. ..X.. .X.X. X...X X...X',
  Y: 'X...X X...X .X.X. ..X.. ..X.. ..X.. ..X..',
  Z: 'XXXXX ....X ...X. ..X.. .X... X.... XXXXX',
  '[': '.XXX. .X... .X... .X... .X... .X... .XXX.',
  '\\': '..... X.... .X... ..X.. ...X. ....X .....',
  ']': '.XXX. ...X. ...X. ...X. ...X. ...X. .XXX.',
  '^': '..X.. .X.X. X...X ..... ..... ..... .....',
  _: '..... ..... ..... ..... ..... ..... ..... XXXXX',
  '`': '.X... ..X.. ..... ..... ..... ..... .....',
  a: '..... ..... .XXX. ....X .XXXX X...X .XXXX',
  b: 'X.... X.... X.XX. XX..X X...X X...X XXXX.',
  c: '..... ..... .XXX. X.... X.... X...X .XXX.',
  d: '....X ....X .XX.X X..XX X...X X...X .XXXX',
  e: '..... ..... .XXX. X...X XXXXX X.... .XXX.',
  f: '..XX. .X..X .X... XXX.. .X... .X... .X...',
  g: '..... ..... .XXXX X...X X...X X...X .XXXX ....X .XXX.',
  h: 'X.... X.... X.XX. XX..X X...X X...X X...X',
  i: '..X.. ..... .XX.. ..X.. ..X.. ..X.. .XXX.',
  j: '...X. ..... ..XX. ...X. ...X. ...X. ...X. X..X. .XX..',
  k: 'X.... X.... X..X. X.X.. XX... X.X.. X..X.',
  l: '.XX.. ..X.. ..X.. ..X.. ..X.. ..X.. .XXX.',
  m: '..... ..... XX.X. X.X.X X.X.X X.X.X X.X.X',
  n: '..... ..... X.XX. XX..X X...X X...X X...X',
  o: '..... ..... .XXX. X...X X...X X...X .XXX.',
  p: '..... ..... XXXX. X...X X...X X...X XXXX. X.... X....',
  q: '..... ..... .XXXX X...X X...X X...X .XXXX ....X ....X',
  r: '..... ..... X.XX. XX..X X.... X.... X....',
  s: '..... ..... .XXXX X.... .XXX. ....X XXXX.',
  t: '.X... .X... XXX.. .X... .X... .X..X ..XX.',
  u: '..... ..... X...X X...X X...X X..XX .XX.X',
  v: '..... ..... X...X X...X X...X .X.X. ..X..',
  w: '..... ..... X...X X...X X.X.X X.X.X .X.X.',
  x: '..... ..... X...X .X.X. ..X.. .X.X. X...X',
  y: '..... ..... X...X X...X X...X X...X .XXXX ....X .XXX.',
  z: '..... ..... XXXXX ...X. ..X.. .X... XXXXX',
  '{': '...X. ..X.. ..X.. .X... ..X.. ..X.. ...X.',
  '|': '..X.. ..X.. ..X.. ..X.. ..X.. ..X.. ..X..',
  '}': '.X... ..X.. ..X.. ...X. ..X.. ..X.. .X...',
  '~': '..... ..... .X... X.X.X ...X. ..... .....',
};

/** Glyph cell width in font pixels; each character advances by this plus one pixel of spacing. */
export const GLYPH_WIDTH = 5;
/** Height above the baseline in font pixels. */
export const GLYPH_ASCENT = 7;
/** Horizontal advance per character in font pixels. */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

/** Ink cells of one character as [column, row] pairs; row 0 is the top, row 7 the first below the baseline. */
export function glyphCells(character: string): readonly (readonly [number, number])[] {
  const rows = (GLYPH_ROWS[character] ?? GLYPH_ROWS[fallbackCharacter(character)] ?? GLYPH_ROWS['?']!).split(' ');
  const cells: [number, number][] = [];
  rows.forEach((row, rowIndex) => {
    for (let column = 0; column < row.length; column++) if (row[column] === 'X') cells.push([column, rowIndex]);
  });
  return cells;
}

/** Plain stand-ins for the few non-ASCII characters that labels are likely to hold. */
function fallbackCharacter(character: string): string {
  switch (character) {
    case '\u2013':
    case '\u2014':
    case '\u2212':
      return '-';
    case '\u00d7':
      return 'x';
    case '\u03b2':
      return 'B';
    case '\u2026':
      return '~';
    default:
      return '?';
  }
}

/** Width in font pixels of `text` drawn with the bitmap font (no trailing spacing). */
export function bitmapTextWidth(text: string): number {
  const length = Array.from(text).length;
  return length === 0 ? 0 : length * GLYPH_ADVANCE - 1;
}
