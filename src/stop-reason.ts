/**
 * Why training stopped: one type for every trainer.
 *
 * @module
 */

/**
 * Why a run stopped, as a `_tag` union (switch on `_tag`). `fit` and `fitStream` stop with
 * the first three, the full-batch optimizers (`conjugateGradient`, `lbfgs`) with the last four:
 *
 * - `EpochsDone`: all `epochs` ran.
 * - `EarlyStopped`: `patience` epochs without improvement; `epoch` is the last one run.
 * - `Diverged`: a non-finite loss, gradient or parameter (`cause`) appeared at update `step` of
 *   `epoch`; the returned parameters are the last finite ones (never NaN).
 * - `GradientNorm`: `‖∇f‖₂ ≤ gradTol`.
 * - `LossChange`: an iteration lowered `f` by no more than `lossTol·max(1, |f|)`.
 * - `IterationsDone`: `maxIterations` ran.
 * - `LineSearchFailed`: no step satisfied the Wolfe conditions (typically at the limits of
 *   floating-point precision).
 *
 * @example
 * const { stopReason } = fit(net, p0, data, opts)
 * if (stopReason._tag === 'Diverged') console.error(stopReason.message)
 * @since 0.2.0
 * @category model
 */
export type StopReason =
  | { readonly _tag: 'EpochsDone'; readonly epoch: number }
  | { readonly _tag: 'EarlyStopped'; readonly epoch: number; readonly bestEpoch: number }
  | {
      readonly _tag: 'Diverged';
      readonly epoch: number;
      readonly step: number;
      readonly cause: 'loss' | 'gradient' | 'parameters';
      readonly message: string;
    }
  | { readonly _tag: 'GradientNorm' }
  | { readonly _tag: 'LossChange' }
  | { readonly _tag: 'IterationsDone' }
  | { readonly _tag: 'LineSearchFailed' };
