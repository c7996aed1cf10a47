/**
 * The way back from a {@link LossRecipe} to the loss: each recipe is decoded by the factory that
 * wrote it.
 *
 * @module
 */
import { categoricalCrossEntropyWith } from './categorical-cross-entropy.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { huberWith } from './huber.js';
import type { Loss } from './loss.js';
import { mae } from './mae.js';
import { mse } from './mse.js';
import type { LossRecipe } from './portable.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/**
 * The loss a recipe describes, from the factory that made the recipe (the same kernel, so the
 * same numbers).
 *
 * @since 0.2.0
 * @category constructors
 */
export const lossOfRecipe = (r: LossRecipe): Loss<number> => {
  switch (r.loss) {
    case 'mse':
      return mse;
    case 'mae':
      return mae;
    case 'huber':
      return huberWith(r.delta);
    case 'softmaxCrossEntropy':
      return softmaxCrossEntropy;
    case 'binaryCrossEntropy':
      return binaryCrossEntropy;
    case 'categoricalCrossEntropy':
      return categoricalCrossEntropyWith(r.eps);
  }
};
