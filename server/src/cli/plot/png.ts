// Writes plots as PNG: the same scene as the core's SVG writer, rasterized here and encoded with node:zlib.

import type { ScheduleData } from '../../protocol';
import { linePlotScene, type LinePlotSpec } from '../../core/plot/linePlot';
import { encodePng } from './pngEncode';
import { rasterizeScene } from './raster';
import { scheduleLinePlotSpec, type SchedulePlotOptions } from '../../core/plot/scheduleSpec';

export function linePlotPng(spec: LinePlotSpec): Buffer {
  return encodePng(rasterizeScene(linePlotScene(spec)));
}

export function schedulePng(data: ScheduleData, options?: SchedulePlotOptions): Buffer {
  return linePlotPng(scheduleLinePlotSpec(data, options));
}
