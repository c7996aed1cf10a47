/**
 * Dropout (Srivastava et al. 2014), inverted form: in training each entry is kept with
 * probability 1 − p and scaled by 1/(1 − p), so evaluation needs no rescaling and is the identity.
 *
 * @module
 */
import * as Ops from '../tensor/ops.js';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import { bernoulli } from '../random.js';
import type { Context, NoParams, PolyLayer } from './layer.js';
import { definePolyLayer } from './define.js';
import { withForm } from './form.js';

const noParams: NoParams = Object.freeze({});

/**
 * Inverted dropout with drop probability `p` (0 ≤ p < 1), a shape-polymorphic layer without
 * parameters: `y = x ⊙ m / (1 − p)` with `m_ij ~ Bernoulli(1 − p)` drawn from `ctx.key` in
 * training mode, and `y = x` in evaluation mode (no `ctx`, or `ctx.training` false).
 * The mask is a function of the key and the batch shape only, so `forward`, `vjp` and `jvp` of
 * one step see the same mask (VJP `dx = dy ⊙ m/(1−p)`, JVP `dy = dx ⊙ m/(1−p)`), and the same
 * key reproduces a run. In a composite, each child gets its own key (`foldIn(key, position)`).
 *
 * @throws RangeError when `p` is not in [0, 1); Error when called in training mode without a key.
 * @example
 * const net = sequential(dense(10, 32), relu, dropout(0.2), dense(32, 1))
 * net.forward(params, x, { training: true, key: foldIn(k, step) })   // a thinned net
 * net.forward(params, x)                                             // the full net (evaluation)
 * @since 0.1.0
 * @category constructors
 */
export const dropout = (p: number): PolyLayer<NoParams> => {
  if (!(typeof p === 'number' && p >= 0 && p < 1)) throw new RangeError(`dropout: p must be a drop probability in [0, 1), got ${p}`);
  const keep = 1 - p;
  /** The scaled mask m/(1−p) for a batch of this shape, or `null` when the layer is the identity. */
  const scaledMask = <B extends number, N extends number>(x: Mat<B, N>, ctx: Context | undefined): Mat<B, N> | null => {
    if (ctx === undefined || !ctx.training || p === 0) return null;
    if (ctx.key === undefined) {
      throw new Error('dropout: training mode needs a PRNG key, pass ctx = { training: true, key } (fit does this for every step)');
    }
    return Ops.map(unsafeMat(x.rows, x.cols, bernoulli(ctx.key, x.data.length, keep)), (m) => m / keep);
  };
  const apply = <B extends number, N extends number>(x: Mat<B, N>, m: Mat<B, N> | null): Mat<B, N> =>
    m === null ? x : Ops.zipWith(x, m, (a, s) => a * s);
  const layer = definePolyLayer<NoParams>({
    kind: 'dropout',
    config: { p },
    init: () => noParams,
    forward: (_p, x, ctx) => apply(x, scaledMask(x, ctx)),
    vjp: <B extends number, N extends number>(_p: NoParams, x: Mat<B, N>, ctx?: Context) => {
      const m = scaledMask(x, ctx);
      return [apply(x, m), (dy: Mat<B, N>) => [noParams, apply(dy, m)] as const] as const;
    },
    jvp: (_p, x, _dp, dx, ctx) => {
      const m = scaledMask(x, ctx);
      return [apply(x, m), apply(dx, m)];
    },
  });
  return withForm(layer, { op: 'dropout', p });
};
