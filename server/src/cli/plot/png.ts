// Writes plots as PNG: the same scene as the SVG, rasterized here and encoded with node:zlib.

import type { ScheduleData } from '../../protocol';
import { linePlotScene, type LinePlotSpec } from './linePlot';
import { encodePng } from './pngEncode';
import { rasterizeScene } from './raster';
import { scheduleLinePlotSpec, type SchedulePlotOptions } from './scheduleSpec';

export function linePlotPng(spec: LinePlotSpec): Buffer {
  return encodePng(rasterizeScene(linePlotScene(spec)));
}

export function schedulePng(data: ScheduleData, options?: SchedulePlotOptions): Buffer {
  return linePlotPng(scheduleLinePlotSpec(data, options));
}
