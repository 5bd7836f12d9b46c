// The simulator: optimizers racing on loss landscapes, from a `simulate:` section to trajectories and heatmaps.

export { simulate, SIMULATION_LIMITS } from './simulate';
export type {
  DormantSpec,
  GridSpec,
  LabeledOptimizer,
  NoiseSpec,
  SimulateHeatmap,
  SimulateIssue,
  SimulateRequest,
  SimulateResult,
  RunMotion,
  SimulateRun,
  SimulateSurface,
} from './simulate';
export { parseSimulateSection, DEFAULT_SIMULATION_STEPS } from './section';
export { GaussianSource } from '../util/random';
export { runStatements, measuredStatement, classify, boundFor, MEASURED_CRITERIA } from './stability';
export type { RunStatement, RunVerdict, StabilityBound, StatementContext } from './stability';
