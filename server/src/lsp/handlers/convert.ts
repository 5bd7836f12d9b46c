// The convert request: the same optimizer and schedule in another dialect, from the core's converter.

import { convertConfig } from '../../core/convert/index';
import { ConvertRequest } from '../../protocol';
import type { ServerContext } from '../context';
import { analysisForRequest, guard } from '../guard';

export function registerConvert(context: ServerContext): void {
  context.connection.onRequest(
    ConvertRequest.type,
    guard(context.connection, 'convert', null, async (params) => {
      const model = (await analysisForRequest(context, params.uri))?.analysis.model;
      return model ? convertConfig(model, params.to) : null;
    }),
  );
}
