/**
 * The contract of data-parallel training, independent of how threads are made: how a batch is
 * cut into shards, how their gradients are summed, and whether a run can cross to another
 * thread at all (its net, loss, optimizer and penalty described as data). The Node thread pool
 * that runs it is `fitParallel` in `foldnet/node`.
 *
 * The numbers depend on the shard size S only, never on the number of threads: a batch of B rows
 * is cut into K = ⌈B/S⌉ shards (shard k: rows [k·S, min((k+1)·S, B))), shard k's gradient
 * g_k = ∂/∂θ (1/B)·Σ_{i∈k} ℓ_i(θ) is computed by the compiled program (by any thread, into its
 * own buffer), and the gradient of the
 * batch is the left fold g = (…((g_0 + g_1) + g_2) + …) + g_{K−1}, in that order, before the
 * penalty's gradient is added and one update is applied.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { AnyLayer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import { lossRecipeOf, type LossRecipe } from '../loss/portable.js';
import { allStages, inPlaceUpdateOf, lossKernelOf, penaltyKernelOf, stagesOf, type Stage } from '../lowering.js';
import type { Penalty } from '../optim/regularize/penalty.js';
import type { GradientTransformation } from '../optim/transform.js';
import type { FitError } from './types.js';

/**
 * The default shard size S: 64 rows (a batch of 512 is 8 shards, enough to balance 2–8 threads,
 * and each shard's products are still large enough for the SIMD GEMM).
 *
 * @since 0.2.0
 * @category model
 */
export const DEFAULT_SHARD_SIZE = 64;

/**
 * The number of shards of a batch of `rows` rows at shard size `S`: K = ⌈rows/S⌉.
 *
 * @since 0.2.0
 * @category destructors
 */
export const shardCount = (rows: number, S: number): number => Math.ceil(rows / S);

/**
 * What a worker thread needs to rebuild a run's gradient: the net's stages (plain data, derived
 * by identity from the layers' forms or explicit lowerings), its input width, and the loss's
 * recipe (the factory that made it and its arguments).
 *
 * @since 0.2.0
 * @category model
 */
export interface PortableRun {
  readonly stages: readonly Stage[];
  readonly inputDim: number;
  readonly loss: LossRecipe;
}

const refuse = (where: string, option: string, message: string): E.Either<FitError, never> =>
  E.left({ _tag: 'FitError', option, message: `${where}: ${message}` });

/**
 * The run as data another thread can rebuild, or a `FitError` naming the part that cannot cross:
 * a layer without a lowered form (a `defineLayer` without `lower`; its functions cannot be sent
 * to a thread), a loss without a recipe (a `defineLoss` of one's own), an optimizer or penalty
 * without an in-place kernel.
 *
 * @since 0.2.0
 * @category destructors
 */
export const portableRun = (
  where: string,
  model: AnyLayer,
  loss: Loss<number>,
  optimizer: GradientTransformation<unknown>,
  penalty: Penalty | undefined,
): E.Either<FitError, PortableRun> => {
  const stages = stagesOf(model, model.inputDim);
  const opaque = allStages(stages).find((s): s is Extract<Stage, { op: 'opaque' }> => s.op === 'opaque');
  if (opaque !== undefined) {
    const at = opaque.at.length === 0 ? 'the model' : `the layer at [${opaque.at.join(', ')}]`;
    return refuse(
      where,
      'model',
      `${at} (kind '${opaque.layer.spec.kind}') has no lowered form, so a worker thread cannot rebuild it (a layer's functions cannot be sent to another thread): give defineLayer a lower option, or train with fit or fitStream`,
    );
  }
  const recipe = lossRecipeOf(loss);
  if (recipe === undefined || lossKernelOf(loss) === undefined) {
    return refuse(
      where,
      'loss',
      `the loss '${loss.kind}' is not a built-in loss (mse, mae, huber, softmaxCrossEntropy, binaryCrossEntropy, categoricalCrossEntropy), so a worker thread cannot rebuild it: train with fit or fitStream`,
    );
  }
  if (inPlaceUpdateOf(optimizer) === undefined) {
    return refuse(where, 'optimizer', 'the optimizer has no in-place update kernel (a transformation of your own): use the built-in optimizers and primitives, or fit');
  }
  if (penalty !== undefined && penaltyKernelOf(penalty) === undefined) {
    return refuse(where, 'penalty', 'the penalty has no kernel over flat parameters (a penalty of your own): use the built-in penalties, or fit');
  }
  return E.right({ stages, inputDim: model.inputDim, loss: recipe });
};
