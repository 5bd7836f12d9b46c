// Catalog entries for optimizers (torch.optim and friends).
import type { OptimizerEntry } from './types';

export const OPTIMIZERS: readonly OptimizerEntry[] = [];
