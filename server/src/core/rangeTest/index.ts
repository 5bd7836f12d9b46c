// The LR range test's pure part: the ramp, smoothing and early stop, suggestions, and the config section.

export * from './types';
export { rangeTestLearningRates } from './ramp';
export { advanceSmoothing, smoothLosses, INITIAL_SMOOTHING_STATE } from './smoothing';
export type { SmoothingState, SmoothingStep } from './smoothing';
export {
  suggestLearningRates,
  valleyIndex,
  gradientAlong,
  formatLearningRate,
  MINIMUM_USABLE_POINTS,
} from './suggestions';
export type { SuggestionInput, SuggestionOutcome } from './suggestions';
export { parseRangeTestSection, rangeTestParamsIssues } from './section';
export { RangeTestRecorder } from './recorder';
export type { RangeTestPoint, RangeTestCurve, RecorderSettings } from './recorder';
export { entryPointProblem } from './entryPoint';
