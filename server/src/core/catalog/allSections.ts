// Every documented config section other than optimizer/scheduler, for hover and completion.

import { TRAINING_SECTION } from './sections';
import type { SectionEntry } from './types';

export const ALL_SECTIONS: readonly SectionEntry[] = [TRAINING_SECTION];
