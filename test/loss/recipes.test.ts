import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy, categoricalCrossEntropy, categoricalCrossEntropyWith, defineLoss, fromArray, huberWith, key, mae, mse, normal,
  softmaxCrossEntropy, uniform, withWidth, type Loss,
} from '../../src/index.js';
import { lossRecipeOf } from '../../src/loss/portable.js';
import { lossOfRecipe } from '../../src/loss/rebuild.js';

const yhat = fromArray(5, 3, uniform(key(1), 15, 0.05, 0.95));
const y = fromArray(5, 3, normal(key(2), 15));

describe('a built-in loss carries the recipe another thread rebuilds it from', () => {
  const cases: readonly (readonly [string, Loss<number>])[] = [
    ['mse', mse], ['mae', mae], ['huberWith(0.5)', huberWith(0.5)], ['softmaxCrossEntropy', softmaxCrossEntropy],
    ['binaryCrossEntropy', binaryCrossEntropy], ['categoricalCrossEntropy', categoricalCrossEntropy],
    ['categoricalCrossEntropyWith(1e-3)', categoricalCrossEntropyWith(1e-3)],
    ['softmaxCrossEntropy.classes(3)', softmaxCrossEntropy.classes(3)], ['withWidth(huberWith(2), 3)', withWidth(huberWith(2), 3)],
  ];
  it.each(cases)('%s: the rebuilt loss computes the same value and gradient, bit for bit', (_name, loss) => {
    const recipe = lossRecipeOf(loss);
    expect(recipe).toBeDefined();
    const again = lossOfRecipe(structuredClone(recipe!));
    const [v, g] = loss.valueAndGrad(yhat, y);
    const [w, h] = again.valueAndGrad(yhat, y);
    expect(w).toBe(v);
    expect(Array.from(h.data)).toEqual(Array.from(g.data));
  });

  it('a loss of one’s own, or a copy of a built-in, has no recipe (a name decides nothing)', () => {
    expect(lossRecipeOf(defineLoss('mse', (a, b, grad, s) => mse.valueAndGrad(a, b)[0] * a.rows + (grad === null ? 0 : s * 0)))).toBeUndefined();
    expect(lossRecipeOf({ ...mse })).toBeUndefined();
  });
});
