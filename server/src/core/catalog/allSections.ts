// Every documented config section other than optimizer/scheduler, for hover and completion.

import { RANGE_TEST_SECTION } from './rangeTestSection';
import { TRAINING_SECTION } from './sections';
import { SIMULATE_SECTION } from './simulateSection';
import type { SectionEntry } from './types';

export const ALL_SECTIONS: readonly SectionEntry[] = [TRAINING_SECTION, RANGE_TEST_SECTION, SIMULATE_SECTION];
