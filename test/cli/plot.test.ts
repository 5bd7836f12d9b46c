// Static plots for the CLI: well-formed SVG, exact per-pixel decimation, log ticks, and PNGs that decode.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as referenceCrc32, inflateSync } from 'node:zlib';
import type { ScheduleData } from '../../server/src/protocol';
import { decimateByPixelColumn } from '../../server/src/core/plot/decimate';
import { scheduleHtml } from '../../server/src/cli/plot/html';
import { linePlotScene, type LinePlotSpec } from '../../server/src/core/plot/linePlot';
import { linePlotPng, schedulePng } from '../../server/src/cli/plot/png';
import type { ScenePolyline } from '../../server/src/core/plot/scene';
import { scheduleLinePlotSpec } from '../../server/src/core/plot/scheduleSpec';
import { linePlotSvg, scheduleSvg } from '../../server/src/core/plot/svg';
import { formatTick, linearScale, logScale } from '../../server/src/core/plot/ticks';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

function schedule(lr: readonly number[], extra: Partial<ScheduleData> = {}): ScheduleData {
  return { uri: '', version: 0, title: 'test schedule', lr, markers: [], errors: [], ...extra };
}

/** Linear warm-up to 3e-4 over 100 steps, then cosine to 1e-6 at step 1000; momentum mirrors it. */
function warmupCosine(): ScheduleData {
  const steps = 1000;
  const lr = Array.from({ length: steps }, (_, step) =>
    step < 100
      ? (3e-4 * (step + 1)) / 100
      : 1e-6 + (3e-4 - 1e-6) * 0.5 * (1 + Math.cos((Math.PI * (step - 100)) / (steps - 100))),
  );
  return schedule(lr, {
    title: 'SequentialLR(LinearLR, CosineAnnealingLR)',
    momentum: lr.map((value) => 0.95 - (0.1 * value) / 3e-4),
    markers: [
      { step: 99, label: 'peak lr 3.000e-4', kind: 'peak' },
      { step: 100, label: 'warm-up ends', kind: 'warmup-end' },
      { step: 500, label: 'milestone', kind: 'milestone' },
    ],
    totalSteps: steps,
  });
}

/** Checks XML well-formedness the simple way: balanced tags, quoted attributes, escaped text. */
function assertWellFormedXml(text: string): void {
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<&]*(?:&(?:amp|lt|gt|quot|#\d+);[^"<&]*)*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  let roots = 0;
  let index = 0;
  while (index < text.length) {
    const next = text.indexOf('<', index);
    const chunk = text.slice(index, next < 0 ? text.length : next);
    assert.doesNotMatch(chunk, /&(?!(?:amp|lt|gt|quot|#\d+);)/, `unescaped & in text near ${index}`);
    assert.ok(!chunk.includes('>'), `stray > in text near ${index}`);
    if (stack.length === 0) assert.equal(chunk.trim(), '', `text outside the root element near ${index}`);
    if (next < 0) break;
    token.lastIndex = next;
    const match = token.exec(text);
    assert.ok(match, `malformed tag at ${next}: ${text.slice(next, next + 60)}`);
    const [whole, closing, name, , selfClosing] = match;
    if (name !== undefined) {
      if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      else if (!selfClosing) {
        if (stack.length === 0) roots++;
        stack.push(name);
      } else if (stack.length === 0) roots++;
    }
    index = next + whole.length;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
}

/** The pieces (subpaths) of the curve with `data-label="label"`, each as [x, y] pairs. */
function polylinePoints(svg: string, label: string): [number, number][][] {
  const pattern = new RegExp(`<path d="([^"]*)"[^>]*data-label="${label}"`, 'g');
  return Array.from(svg.matchAll(pattern), (match) => match[1]!.split('M').filter((piece) => piece !== ''))
    .flat()
    .map((piece) => piece.split('L').map((pair) => pair.trim().split(' ').map(Number) as [number, number]));
}

function textsOfClass(svg: string, role: string): string[] {
  return Array.from(svg.matchAll(new RegExp(`<text class="${role}"[^>]*>([^<]*)</text>`, 'g')), (match) => match[1]!);
}

interface DecodedPng {
  width: number;
  height: number;
  chunkTypes: string[];
  pixel(x: number, y: number): [number, number, number];
}

/** A decoder for what our encoder writes (8-bit RGB, no interlace); it checks every chunk's CRC. */
function decodePng(png: Buffer): DecodedPng {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let offset = 8;
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const storedCrc = png.readUInt32BE(offset + 8 + length);
    assert.equal(storedCrc, referenceCrc32(png.subarray(offset + 4, offset + 8 + length)), `CRC of ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 2, 0, 0, 0], 'bit depth 8, truecolour, deflate, no interlace');
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  assert.equal(offset, png.length, 'chunks fill the file exactly');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3 + 1;
  assert.equal(raw.length, stride * height, 'inflated size');
  for (let row = 0; row < height; row++) assert.equal(raw[row * stride], 0, `filter byte of row ${row}`);
  return {
    width,
    height,
    chunkTypes,
    pixel: (x, y) => {
      const at = y * stride + 1 + x * 3;
      return [raw[at]!, raw[at + 1]!, raw[at + 2]!];
    },
  };
}

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}

describe('number labels and ticks', () => {
  test('tick labels are short: 3e-4, 1e-6, 0.1, 250k', () => {
    const cases: [number, string][] = [
      [3e-4, '3e-4'],
      [1e-6, '1e-6'],
      [2.5e-5, '2.5e-5'],
      [0.1, '0.1'],
      [0.30000000000000004, '0.3'],
      [0, '0'],
      [1, '1'],
      [2500, '2500'],
      [250000, '250k'],
      [1_500_000, '1.5M'],
      [-0.5, '-0.5'],
    ];
    for (const [value, expected] of cases) assert.equal(formatTick(value), expected, `formatTick(${value})`);
  });

  test('log ticks are powers of ten that cover the data', () => {
    for (const [low, high] of [
      [3e-6, 2e-3],
      [1e-7, 10],
      [0.5, 0.7],
      [1e-12, 1e6],
    ] as const) {
      const scale = logScale(low, high, 6);
      assert.ok(scale.ticks.length >= 2, `ticks for ${low}..${high}`);
      for (const tick of scale.ticks)
        assert.ok(
          Number.isInteger(Math.log10(tick)) && Math.abs(tick - 10 ** Math.round(Math.log10(tick))) <= tick * 1e-12,
          `${tick} is a power of ten`,
        );
      assert.ok(scale.min <= low && scale.max >= high);
    }
  });

  test('linear ticks are evenly spaced multiples of 1, 2 or 5 and cover the data', () => {
    const scale = linearScale(0, 3.1e-4, 6);
    assert.deepEqual(scale.ticks.map(formatTick), ['0', '5e-5', '1e-4', '1.5e-4', '2e-4', '2.5e-4', '3e-4', '3.5e-4']);
    const constant = linearScale(0.9, 0.9, 5);
    assert.ok(constant.min < 0.9 && constant.max > 0.9, 'a constant series gets a non-empty axis');
  });
});

describe('decimation', () => {
  test("a million points keep every pixel column's minimum and maximum, in at most two points per column", () => {
    const count = 1_000_000;
    const columns = 700;
    const pixelX = new Float64Array(count);
    const pixelY = new Float64Array(count);
    for (let index = 0; index < count; index++) {
      pixelX[index] = 50 + (index / (count - 1)) * columns;
      pixelY[index] = 200 + 150 * Math.sin(index / 997) * Math.cos(index / 31) + (index % 7919 === 0 ? 40 : 0);
    }
    const pieces = decimateByPixelColumn(pixelX, pixelY, columns);
    assert.equal(pieces.length, 1);
    const output = pieces[0]!;
    assert.ok(output.length / 2 <= 2 * (columns + 1), `${output.length / 2} points for ${columns} columns`);
    const expected = new Map<number, [number, number]>();
    for (let index = 0; index < count; index++) {
      const column = Math.floor(pixelX[index]!);
      const range = expected.get(column) ?? [Infinity, -Infinity];
      expected.set(column, [Math.min(range[0], pixelY[index]!), Math.max(range[1], pixelY[index]!)]);
    }
    const actual = new Map<number, [number, number]>();
    for (let index = 0; index < output.length; index += 2) {
      const column = Math.floor(output[index]!);
      const range = actual.get(column) ?? [Infinity, -Infinity];
      actual.set(column, [Math.min(range[0], output[index + 1]!), Math.max(range[1], output[index + 1]!)]);
    }
    assert.deepEqual(actual, expected);
    for (let index = 2; index < output.length; index += 2)
      assert.ok(output[index]! >= output[index - 2]!, 'points stay in order');
  });

  test('short curves are kept whole and non-finite values split the curve', () => {
    assert.deepEqual(decimateByPixelColumn([0, 1, 2], [5, 6, 7], 100), [[0, 5, 1, 6, 2, 7]]);
    assert.deepEqual(decimateByPixelColumn([0, 1, 2, 3, 4], [5, 6, Number.NaN, 8, 9], 100), [
      [0, 5, 1, 6],
      [3, 8, 4, 9],
    ]);
  });
});

describe('scheduleSvg', () => {
  test('is well-formed, titled, and escapes what it quotes', () => {
    const svg = scheduleSvg(schedule([1, 2, 3], { title: 'A<B & "C"', errors: ['stepped past <total_steps> & more'] }));
    assertWellFormedXml(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="450"/);
    assert.match(svg, /<title>A&lt;B &amp; &quot;C&quot;<\/title>/);
    assert.match(svg, /error: stepped past &lt;total_steps&gt; &amp; more/);
  });

  test('a short series becomes one polyline with one point per step, left to right', () => {
    const lr = [0.1, 0.2, 0.3, 0.4, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
    const pieces = polylinePoints(scheduleSvg(schedule(lr)), 'lr');
    assert.equal(pieces.length, 1);
    assert.equal(pieces[0]!.length, lr.length);
    const xs = pieces[0]!.map(([x]) => x);
    assert.deepEqual(
      xs,
      xs.slice().sort((a, b) => a - b),
    );
    const ys = pieces[0]!.map(([, y]) => y);
    assert.equal(Math.min(...ys), ys[4], 'the peak is the highest point on screen');
  });

  test('a million-step series is at most two points per pixel and keeps its extremes', () => {
    const steps = 1_000_000;
    const lr = Array.from(
      { length: steps },
      (_, step) => 1e-3 * 0.5 ** Math.floor(step / 100_000) * (1 + 0.3 * Math.sin(step / 50)),
    );
    const svg = scheduleSvg(schedule(lr, { totalSteps: steps }));
    assertWellFormedXml(svg);
    assert.ok(svg.length < 100_000, `${svg.length} bytes`);
    const points = polylinePoints(svg, 'lr').flat();
    assert.ok(points.length <= 2 * 800, `${points.length} points`);
    const peak = lr.reduce((a, b) => Math.max(a, b), -Infinity);
    const low = lr.reduce((a, b) => Math.min(a, b), Infinity);
    // The curve reaches as high and as low on screen as the exact extremes map to.
    const ys = points.map(([, y]) => y);
    const yTicks = textsOfClass(svg, 'y-tick');
    assert.ok(yTicks.includes('0') && yTicks.includes('1e-3'), yTicks.join(' '));
    const top = Math.min(...ys);
    const bottom = Math.max(...ys);
    const axisTop = Number(/<text class="y-tick" x="[\d.]+" y="([\d.]+)"[^>]*>1e-3</.exec(svg)![1]) - 3.5;
    const axisZero = Number(/<text class="y-tick" x="[\d.]+" y="([\d.]+)"[^>]*>0</.exec(svg)![1]) - 3.5;
    const pixelOf = (value: number) => axisZero + ((axisTop - axisZero) * value) / 1e-3;
    assert.ok(Math.abs(top - pixelOf(peak)) < 0.05, `top ${top} vs ${pixelOf(peak)}`);
    assert.ok(Math.abs(bottom - pixelOf(low)) < 0.05, `bottom ${bottom} vs ${pixelOf(low)}`);
  });

  test('a log axis labels powers of ten only, and zero lr sits on the floor', () => {
    const lr = Array.from({ length: 200 }, (_, step) => (step === 0 ? 0 : 3e-4 * Math.exp(-step / 30)));
    const svg = scheduleSvg(schedule(lr), { logY: true });
    assertWellFormedXml(svg);
    const labels = textsOfClass(svg, 'y-tick');
    assert.ok(labels.length >= 2, labels.join(' '));
    for (const label of labels) assert.match(label, /^1e-\d+$|^0\.0*1$|^1$/, label);
    const points = polylinePoints(svg, 'lr');
    assert.equal(points.length, 1, 'zero does not break the curve');
    assert.equal(points[0]!.length, 200);
  });

  test('momentum goes on a right axis; markers and the run end are dashed lines with labels', () => {
    const svg = scheduleSvg(warmupCosine());
    assertWellFormedXml(svg);
    assert.equal(polylinePoints(svg, 'momentum').length, 1);
    assert.ok(textsOfClass(svg, 'y2-tick').length >= 2);
    assert.match(svg, /<text class="y2-label"[^>]*rotate\(90[^>]*>momentum</);
    const markerLines = svg.match(/<line class="marker"[^>]*stroke-dasharray/g) ?? [];
    assert.equal(markerLines.length, 4, 'three markers and the run end');
    const labels = textsOfClass(svg, 'marker-label');
    for (const label of ['peak lr 3.000e-4', 'warm-up ends', 'milestone', 'run end 1,000'])
      assert.ok(labels.includes(label), `${label} in ${labels.join(' | ')}`);
  });

  test('empty and non-finite data give a plot, not an exception', () => {
    const empty = scheduleSvg(schedule([]));
    assertWellFormedXml(empty);
    assert.match(empty, /no data to plot/);
    const holes = scheduleSvg(schedule([1e-3, Number.NaN, 1e-3, Infinity, 2e-3, 1e-3]));
    assertWellFormedXml(holes);
    // Holes split the curve; a lone finite point is drawn as a dot, a polyline of one repeated point.
    const pieces = polylinePoints(holes, 'lr');
    assert.equal(pieces.length, 3);
    assert.deepEqual(pieces[0]![0], pieces[0]![1]);
    assert.deepEqual(pieces[1]![0], pieces[1]![1]);
    assert.notDeepEqual(pieces[2]![0], pieces[2]![1]);
  });
});

describe('linePlotSvg', () => {
  test('a range test plots loss against lr on a log x axis with power-of-ten ticks', () => {
    const lrs = Array.from({ length: 100 }, (_, index) => 1e-7 * 10 ** (index / 12.5));
    const loss = lrs.map((lr) => 2.3 - (0.3 * Math.log10(lr / 1e-7)) / 8 + (lr > 0.3 ? (lr - 0.3) * 4 : 0));
    const spec: LinePlotSpec = {
      title: 'LR range test',
      xLabel: 'learning rate',
      yLabel: 'loss',
      logX: true,
      series: [{ label: 'loss', x: lrs, y: loss }],
      markers: [{ x: 3e-3, label: 'suggested 3e-3' }],
    };
    const svg = linePlotSvg(spec);
    assertWellFormedXml(svg);
    const xLabels = textsOfClass(svg, 'x-tick');
    assert.ok(xLabels.length >= 3, xLabels.join(' '));
    for (const label of xLabels) assert.match(label, /^1e-\d+$|^0\.0*1$|^1$|^10+$/, label);
    assert.equal(polylinePoints(svg, 'loss')[0]!.length, 100);
    assert.ok(textsOfClass(svg, 'marker-label').includes('suggested 3e-3'));
    const png = decodePng(linePlotPng(spec));
    assert.equal(png.width, 800);
  });
});

describe('schedulePng', () => {
  test('is a valid PNG of the requested size with checked CRCs', () => {
    const decoded = decodePng(schedulePng(warmupCosine(), { width: 640, height: 360 }));
    assert.equal(decoded.width, 640);
    assert.equal(decoded.height, 360);
    assert.deepEqual(decoded.chunkTypes, ['IHDR', 'IDAT', 'IEND']);
  });

  test('decodes to the background in the corners and the line colour along the curve', () => {
    const data = warmupCosine();
    const png = schedulePng(data);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'plot-schedule.png'), png);
    const decoded = decodePng(png);
    assert.equal(hex(decoded.pixel(0, 0)), '#ffffff');
    assert.equal(hex(decoded.pixel(decoded.width - 1, decoded.height - 1)), '#ffffff');
    const scene = linePlotScene(scheduleLinePlotSpec(data));
    const curve = scene.items.find((item): item is ScenePolyline => item.kind === 'polyline' && item.label === 'lr')!;
    const lineColor = curve.color;
    // Every tenth point of the curve: its pixel column holds the exact line colour within two pixels.
    let checked = 0;
    for (let index = 20; index < curve.points.length - 20; index += 20) {
      const x = Math.floor(curve.points[index]!);
      const y = Math.floor(curve.points[index + 1]!);
      const near = [-2, -1, 0, 1, 2].some((dy) => hex(decoded.pixel(x, y + dy)) === lineColor);
      assert.ok(near, `line colour ${lineColor} near (${x}, ${y})`);
      checked++;
    }
    assert.ok(checked >= 40);
    // The title is drawn: some pixel in its band has the text colour.
    let titleInk = 0;
    for (let y = 8; y < 26; y++) for (let x = 16; x < 300; x++) if (hex(decoded.pixel(x, y)) === '#1f2328') titleInk++;
    assert.ok(titleInk > 200, `${titleInk} title pixels`);
  });

  test('the dark theme has a dark background; log and dark artifacts are written for a look', () => {
    const png = schedulePng(warmupCosine(), { theme: 'dark', logY: true });
    writeFileSync(join(ARTIFACTS, 'plot-schedule-dark-log.png'), png);
    const decoded = decodePng(png);
    assert.equal(hex(decoded.pixel(0, 0)), '#0d1117');
  });
});

describe('scheduleHtml', () => {
  test('embeds the SVG, summarises start, peak and final lr, lists escaped errors, loads nothing remote', () => {
    const data = { ...warmupCosine(), errors: ['OneCycleLR stepped <past> total_steps'] };
    const html = scheduleHtml(data);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'plot-schedule.html'), html);
    assert.match(html, /^<!DOCTYPE html>/);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + '</svg>'.length);
    assertWellFormedXml(svg);
    assert.match(html, /<th scope="row">start lr<\/th><td>3e-6<\/td>/);
    assert.match(html, /<th scope="row">peak lr<\/th><td>3e-4 at step 99<\/td>/);
    assert.match(html, /<th scope="row">final lr<\/th><td>1\.001e-6 at step 999<\/td>/);
    assert.match(html, /<li>OneCycleLR stepped &lt;past&gt; total_steps<\/li>/);
    assert.doesNotMatch(html, /<script|<link|src=|url\(/);
    const addresses = html.match(/https?:\/\/[^\s"']+/g) ?? [];
    assert.deepEqual(addresses, ['http://www.w3.org/2000/svg'], 'only the SVG namespace, which is not fetched');
  });
});
