/**
 * What the full-batch optimizers (conjugate gradient, L-BFGS) share: the objective they minimise,
 * their stopping options and their result.
 *
 * @module
 */
import type { StopReason } from '../stop-reason.js';

/**
 * A differentiable objective `θ ↦ [f(θ), ∇f(θ)]` over a parameter tree (for a net:
 * `objective(model, loss, data)`, the full-batch cost).
 *
 * @since 0.1.0
 * @category model
 */
export type Objective<P> = (params: P) => readonly [value: number, grad: P];

/**
 * Stopping options: stop when `‖∇f‖₂ ≤ gradTol` (default 1e-6), when an iteration lowers `f` by
 * no more than `lossTol·max(1, |f|)` (default 1e-12), or after `maxIterations` (default 100).
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface FullBatchOptions {
  /** Stop after this many iterations (default 100). */
  readonly maxIterations?: number;
  /** Stop when `‖∇f‖₂ ≤ gradTol` (default 1e-6). */
  readonly gradTol?: number;
  /** Stop when an iteration lowers `f` by no more than `lossTol·max(1, |f|)` (default 1e-12). */
  readonly lossTol?: number;
}


/**
 * The result: the final parameters, `f` and `‖∇f‖` there, the loss after every iteration
 * (`losses[0]` is the start), the counts of iterations and of objective evaluations, and the stop
 * reason (`GradientNorm`, `LossChange`, `IterationsDone` or `LineSearchFailed`, see {@link StopReason}).
 *
 * @since 0.1.0
 * @category model
 */
export interface FullBatchResult<P> {
  readonly params: P;
  readonly value: number;
  readonly gradNorm: number;
  readonly losses: readonly number[];
  readonly iterations: number;
  readonly evaluations: number;
  readonly stopReason: Exclude<StopReason, { readonly epoch: number }>;
}

/**
 * The stopping options with defaults filled in; throws a `RangeError` naming `where` on bad values.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stoppingOptions = (where: string, o: FullBatchOptions): Required<FullBatchOptions> => {
  const maxIterations = o.maxIterations ?? 100;
  const gradTol = o.gradTol ?? 1e-6;
  const lossTol = o.lossTol ?? 1e-12;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) throw new RangeError(`${where}: maxIterations must be an integer ≥ 0, got ${maxIterations}`);
  if (!(gradTol >= 0)) throw new RangeError(`${where}: gradTol must be ≥ 0, got ${gradTol}`);
  if (!(lossTol >= 0)) throw new RangeError(`${where}: lossTol must be ≥ 0, got ${lossTol}`);
  return { maxIterations, gradTol, lossTol };
};
