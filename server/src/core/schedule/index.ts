// The schedule engine's public surface: evaluate a scheduler block into an exact lr series, and summarize one.

export { evaluateSchedule, summarizeSchedule } from './evaluate';
export type * from './types';
