// Catalog entries for learning-rate schedulers (torch.optim.lr_scheduler, Hugging Face, DeepSpeed).
import type { SchedulerEntry } from './types';

export const SCHEDULERS: readonly SchedulerEntry[] = [];
