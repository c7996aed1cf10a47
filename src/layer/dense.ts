/**
 * The fully connected layer `y = x·W + b`.
 *
 * @module
 */
import * as Ops from '../tensor/ops.js';
import { affine } from '../tensor/affine.js';
import { isTensor, shapeOf, unsafeMat, unsafeVec, type Mat, type Vec } from '../tensor/mat.js';
import { split } from '../random.js';
import { initName, initWeights } from './init.js';
import type { Layer } from './layer.js';
import { defineLayer, showValue } from './define.js';
import { withForm } from './form.js';
import type { Dim } from '../shape/dim.js';

/**
 * A dense layer's parameters: the weights `w: I × O` (row `i` holds input `i`'s outgoing
 * weights, as in Keras/TensorFlow.js kernels) and the bias `b: O`.
 *
 * @since 0.1.0
 * @category model
 */
export interface DenseParams<I extends number, O extends number> {
  readonly w: Mat<I, O>;
  readonly b: Vec<O>;
}

/**
 * Weight initialisation schemes (biases start at zero):
 * - `glorot`: U(−a, a), a = √(6 / (I + O)) (Glorot & Bengio 2010; the default, as in Keras);
 * - `he`: N(0, 2 / I) (He et al. 2015; suits ReLU);
 * - `lecun`: N(0, 1 / I);
 * - `{ uniform: a }` or `{ normal: σ }`: a fixed small scale.
 *
 * @since 0.1.0
 * @category model
 */
export type Initializer = 'glorot' | 'he' | 'lecun' | { readonly uniform: number } | { readonly normal: number };

/**
 * Options of {@link dense}: `init` draws `W` (default `'glorot'`, `W ~ U(±√(6/(I+O)))`); `b` starts at 0.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface DenseOptions {
  readonly init?: Initializer;
}

/** What is wrong with a value passed as `dense(I, O)`'s parameters, if anything. */
const denseParamsProblem = (inputDim: number, outputDim: number) => (p: unknown): string | undefined => {
  const shape = (t: unknown): string => (isTensor(t) ? shapeOf(t) : showValue(t));
  if (typeof p !== 'object' || p === null) return `expected parameters { w: ${inputDim}×${outputDim}, b: ${outputDim} }, got ${showValue(p)}`;
  const { w, b } = p as { w?: unknown; b?: unknown };
  if (!(isTensor(w) && 'rows' in w && w.rows === inputDim && w.cols === outputDim)) return `expected w ${inputDim}×${outputDim}, got ${shape(w)}`;
  if (!(isTensor(b) && !('rows' in b) && b.size === outputDim)) return `expected b ${outputDim}, got ${shape(b)}`;
  return undefined;
};

/**
 * A fully connected layer `ℝ^I → ℝ^O`: `y = x·W + b` for each row `x`.
 * Reverse mode: `∂L/∂x = dy·Wᵀ`, `∂L/∂W = xᵀ·dy`, `∂L/∂b = 1ᵀ·dy`.
 * Forward mode: `dy = dx·W + x·dW + 1·dbᵀ`.
 *
 * Both dims must be literals (or `dyn(n)`), so compositions can be checked.
 *
 * @example
 * const f1 = dense(4, 8)                 // Layer<4, 8, DenseParams<4, 8>>
 * const p = f1.init(key(0))
 * const y = f1.forward(p, fromRows([[1, 2, 3, 4]]))  // Mat<1, 8>
 * @since 0.1.0
 * @category constructors
 */
export const dense = <I extends number, O extends number>(
  inputs: Dim<I, 'dense: input dim'>,
  outputs: Dim<O, 'dense: output dim'>,
  options: DenseOptions = {},
): Layer<I, O, DenseParams<I, O>> => {
  const inputDim = inputs as I;
  const outputDim = outputs as O;
  const init = options.init ?? 'glorot';
  const layer = defineLayer<I, O, DenseParams<I, O>>({
    kind: 'dense',
    inputDim,
    outputDim,
    config: { init: initName(init) },
    checkParams: denseParamsProblem(inputDim, outputDim),
    init: (k) => {
      const [kw] = split(k);
      return Object.freeze({
        w: unsafeMat(inputDim, outputDim, initWeights(kw, inputDim * outputDim, inputDim, outputDim, init)),
        b: unsafeVec(outputDim, new Float64Array(outputDim)),
      });
    },
    forward: (p, x) => affine(x, p.w, p.b),
    vjp: (p, x) => [
      affine(x, p.w, p.b),
      (dy) => [Object.freeze({ w: Ops.matmulTransA(x, dy), b: Ops.sumRows(dy) }), Ops.matmulTransB(dy, p.w)],
    ],
    jvp: (p, x, dp, dx) => [
      affine(x, p.w, p.b),
      Ops.addRowVector(Ops.add(Ops.matmul(dx, p.w), Ops.matmul(x, dp.w)), dp.b),
    ],
  });
  return withForm(layer, { op: 'affine', inputDim, outputDim });
};

/** Re-exported for `dense`'s users who build parameters by hand. @since 0.1.0 @category constructors */
export const denseParams = <I extends number, O extends number>(w: Mat<I, O>, b: Vec<O>): DenseParams<I, O> => {
  if (b.size !== w.cols) throw new RangeError(`denseParams: bias has ${b.size} entries, weights have ${w.cols} columns`);
  return Object.freeze({ w, b });
};
