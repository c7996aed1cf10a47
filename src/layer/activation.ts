/**
 * Activations: shape-polymorphic layers without parameters. Each is a value (not a factory), so
 * the type checker passes the width of its neighbours through: `sequential(dense(4, 8), relu,
 * dense(8, 2))` checks 8 against 8.
 *
 * The built-in activations (and the layers `leakyRelu(α)` returns) are the activation kernels
 * of src/tensor/kernels.ts, on both execution paths: their generic `forward`/`vjp` call the
 * kernel on fresh arrays, and their inference form (`pointwise`, `leakyRelu`) lowers to a
 * `pointwise` stage running the same kernel in fit's arena. A layer made with
 * {@link elementwise} runs its own φ and φ' (an opaque stage in fit), whatever its `kind`.
 *
 * @module
 */
import * as Ops from '../tensor/ops.js';
import * as K from '../tensor/kernels.js';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import type { NoParams, PolyLayer } from './layer.js';
import { definePolyLayer } from './define.js';
import { withForm } from './form.js';

const noParams: NoParams = Object.freeze({});

/**
 * An element-wise activation y = φ(x) from φ and its derivative written in terms of x and y:
 * VJP `dx = dy ⊙ φ'(x)`, JVP `dy = φ'(x) ⊙ dx`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const elementwise = (
  kind: string,
  phi: (x: number) => number,
  dphi: (x: number, y: number) => number,
  config?: Readonly<Record<string, number>>,
): PolyLayer<NoParams> =>
  definePolyLayer<NoParams>({
    kind,
    ...(config === undefined ? {} : { config }),
    init: () => noParams,
    forward: (_p, x) => Ops.map(x, phi),
    vjp: <B extends number, N extends number>(_p: NoParams, x: Mat<B, N>) => {
      const y = Ops.map(x, phi);
      return [y, (dy: Mat<B, N>) => [noParams, Ops.zipWith3(dy, x, y, (g, a, b) => g * dphi(a, b))] as const] as const;
    },
    jvp: (_p, x, _dp, dx) => {
      const y = Ops.map(x, phi);
      return [y, Ops.zipWith3(dx, x, y, (t, a, b) => t * dphi(a, b))];
    },
  });

/** A built-in activation: the kernel `code` of K.activationForward/activationBackward. */
const kernelActivation = (kind: string, code: number, alpha = 0, config?: Readonly<Record<string, number>>): PolyLayer<NoParams> => {
  const phi = <B extends number, N extends number>(x: Mat<B, N>): Mat<B, N> => {
    const out = new Float64Array(x.data.length);
    K.activationForward(code, alpha, x.data, 0, out, 0, out.length);
    return unsafeMat(x.rows, x.cols, out);
  };
  /** t ⊙ φ'(x) with y = φ(x): the VJP and the JVP (the Jacobian is diagonal). */
  const along = <B extends number, N extends number>(t: Mat<B, N>, x: Mat<B, N>, y: Mat<B, N>): Mat<B, N> => {
    const out = new Float64Array(t.data.length);
    K.activationBackward(code, alpha, t.data, 0, x.data, 0, y.data, 0, out, 0, out.length);
    return unsafeMat(t.rows, t.cols, out);
  };
  return definePolyLayer<NoParams>({
    kind,
    ...(config === undefined ? {} : { config }),
    init: () => noParams,
    forward: (_p, x) => phi(x),
    vjp: <B extends number, N extends number>(_p: NoParams, x: Mat<B, N>) => {
      const y = phi(x);
      return [y, (dy: Mat<B, N>) => [noParams, along(dy, x, y)] as const] as const;
    },
    jvp: (_p, x, _dp, dx) => {
      const y = phi(x);
      return [y, along(dx, x, y)];
    },
  });
};

const CODES = K.ACTIVATION_CODES;

/**
 * Rectified linear unit, `relu(x) = max(0, x)`; derivative 1 for x > 0, else 0 (0 at x = 0).
 *
 * @since 0.1.0
 * @category activations
 */
export const relu: PolyLayer<NoParams> = withForm(kernelActivation('relu', CODES.relu), { op: 'pointwise', fn: 'relu' });

/**
 * Leaky ReLU, `x` for x > 0 and `α·x` otherwise (default α = 0.01).
 *
 * @since 0.1.0
 * @category activations
 */
export const leakyRelu = (alpha = 0.01): PolyLayer<NoParams> =>
  withForm(kernelActivation('leakyRelu', CODES.leakyRelu, alpha, { alpha }), { op: 'leakyRelu', alpha });

/**
 * Hyperbolic tangent; derivative `1 − y²`.
 *
 * @since 0.1.0
 * @category activations
 */
export const tanh: PolyLayer<NoParams> = withForm(kernelActivation('tanh', CODES.tanh), { op: 'pointwise', fn: 'tanh' });

/**
 * Logistic sigmoid `σ(x) = 1 / (1 + e^{−x})`, computed without overflow; derivative `y(1 − y)`.
 *
 * @since 0.1.0
 * @category activations
 */
export const sigmoid: PolyLayer<NoParams> = withForm(kernelActivation('sigmoid', CODES.sigmoid), { op: 'pointwise', fn: 'sigmoid' });

/**
 * Softplus `log(1 + eˣ)` (a smooth ReLU), computed stably; derivative `σ(x)`.
 *
 * @since 0.1.0
 * @category activations
 */
export const softplus: PolyLayer<NoParams> = withForm(kernelActivation('softplus', CODES.softplus), { op: 'pointwise', fn: 'softplus' });

/**
 * The identity `y = x` (a linear output layer's "activation").
 *
 * @since 0.1.0
 * @category activations
 */
export const identity: PolyLayer<NoParams> = withForm(definePolyLayer<NoParams>({
  kind: 'identity',
  init: () => noParams,
  forward: (_p, x) => x,
  vjp: (_p, x) => [x, (dy) => [noParams, dy]],
  jvp: (_p, x, _dp, dx) => [x, dx],
}), { op: 'identity' });

/**
 * Row-wise softmax `s_j = e^{x_j − max x} / Σ_k e^{x_k − max x}` (stable for large logits).
 * Its Jacobian `diag(s) − s sᵀ` is symmetric, so VJP and JVP are the same map
 * `v ↦ s ⊙ (v − ⟨s, v⟩)`. For training, prefer a linear output with `softmaxCrossEntropy`.
 *
 * @since 0.1.0
 * @category activations
 */
export const softmax: PolyLayer<NoParams> = withForm(definePolyLayer<NoParams>({
  kind: 'softmax',
  init: () => noParams,
  forward: (_p, x) => Ops.softmaxRows(x),
  vjp: <B extends number, N extends number>(_p: NoParams, x: Mat<B, N>) => {
    const s = Ops.softmaxRows(x);
    return [s, (dy: Mat<B, N>) => [noParams, Ops.softmaxRowsJvp(s, dy)] as const] as const;
  },
  jvp: (_p, x, _dp, dx) => {
    const s = Ops.softmaxRows(x);
    return [s, Ops.softmaxRowsJvp(s, dx)];
  },
}), { op: 'softmax' });
