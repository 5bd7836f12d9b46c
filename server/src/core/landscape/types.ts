// Public types of loss landscapes: a function with its exact gradient, known minima and a plotting window.

export interface Landscape {
  readonly id: string;
  readonly dim: number;
  value(x: ArrayLike<number>): number;
  /** Writes the exact gradient at `x` into `out[0..dim)`. */
  gradient(x: ArrayLike<number>, out: Float64Array): void;
  /**
   * Many points at once, stored row by row (`xs[p * dim + j]`): writes `values[p]` and the gradient rows
   * into `gradients` when those arrays are given. Allocates nothing, so simulation loops can call it every step.
   */
  evaluateBatch(xs: Float64Array, count: number, values: Float64Array | null, gradients: Float64Array | null): void;
  /** Known global minimizers (empty when the function is unbounded below, like the saddle). */
  readonly minima: readonly (readonly number[])[];
  /** A window `[lo, hi]` per coordinate that shows the interesting part, for plots and random starts. */
  readonly bounds?: readonly (readonly [number, number])[];
  /** The formula in plain text, `x`/`y` for 2-D functions and `x[i]` for n-D ones. */
  readonly formula: string;
  /** A customary starting point. */
  readonly defaultStart?: readonly number[];
  /** The Hessian's eigenvalues where they are constant (diagonal quadratics): the stability limit is 2/max. */
  readonly eigenvalues?: readonly number[];
}

/** A problem with a landscape spec; `path` is relative to the `function:` value. */
export interface LandscapeIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A problem in a user expression: `[start, end)` are offsets into the source string. */
export interface ExpressionIssue {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export type LandscapeSpec =
  | string
  | { readonly type: 'quadratic'; readonly diag: readonly number[] }
  | { readonly type: string; readonly [constant: string]: unknown }
  | { readonly expression: string };
