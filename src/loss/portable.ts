/**
 * Losses as data: a built-in loss carries, by identity, the recipe its factory made it from (the
 * factory and its arguments), so another thread, which cannot receive the loss's functions, can
 * rebuild the same loss with the same factory ({@link lossOfRecipe} in `rebuild.ts`). A user's
 * `defineLoss` carries no recipe.
 *
 * @module
 */

/**
 * The recipe of a built-in loss: the factory that made it and that factory's arguments.
 *
 * @since 0.2.0
 * @category model
 */
export type LossRecipe =
  | { readonly loss: 'mse' }
  | { readonly loss: 'mae' }
  | { readonly loss: 'huber'; readonly delta: number }
  | { readonly loss: 'softmaxCrossEntropy' }
  | { readonly loss: 'binaryCrossEntropy' }
  | { readonly loss: 'categoricalCrossEntropy'; readonly eps: number };

const recipes = new WeakMap<object, LossRecipe>();

/**
 * Attaches its factory's recipe to a loss value (by identity) and returns the value.
 *
 * @since 0.2.0
 * @category constructors
 */
export const withLossRecipe = <L extends object>(loss: L, recipe: LossRecipe): L => {
  recipes.set(loss, Object.freeze(recipe));
  return loss;
};

/**
 * The recipe a loss value was made from, or `undefined` (a user's own loss, or a copy).
 *
 * @since 0.2.0
 * @category destructors
 */
export const lossRecipeOf = (loss: object): LossRecipe | undefined => recipes.get(loss);
