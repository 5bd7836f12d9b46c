// The bounds that many catalog parameters share, written once for the optimizer and scheduler entries.
import type { Bound } from './types';

export const NON_NEGATIVE: Bound = { value: 0 };
export const POSITIVE: Bound = { value: 0, exclusive: true };
export const ONE: Bound = { value: 1 };
export const BELOW_ONE: Bound = { value: 1, exclusive: true };
