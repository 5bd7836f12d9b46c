// The custom schedule request: the full-length series for the schedule panel.

import { scheduleView } from '../../core/features/scheduleView';
import { ScheduleRequest, type ScheduleData } from '../../protocol';
import type { ServerContext } from '../context';
import { analysisForRequest, guard } from '../guard';

export function registerSchedule(context: ServerContext): void {
  context.connection.onRequest(
    ScheduleRequest.type,
    guard(context.connection, 'schedule', null, async (params): Promise<ScheduleData | null> => {
      const found = await analysisForRequest(context, params.uri);
      if (!found) return null;
      const query = {
        ...(params.steps !== undefined ? { steps: params.steps } : {}),
        ...(params.metrics ? { metrics: params.metrics } : {}),
      };
      return scheduleView(found.analysis, query, { uri: params.uri, version: found.document.version }).data;
    }),
  );
}
