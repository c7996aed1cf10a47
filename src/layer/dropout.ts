/**
 * Dropout (Srivastava et al. 2014), inverted form: in training each entry is kept with
 * probability 1 − p and scaled by 1/(1 − p), so evaluation needs no rescaling and is the identity.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import { bernoulliDraws } from '../random.js';
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
 * const net = sequential(dense(4, 32), relu, dropout(0.2), dense(32, 1))
 * net.forward(params, x, { training: true, key: foldIn(key(1), 0) })   // a thinned net (fit passes foldIn(stepKey, t) at step t)
 * net.forward(params, x)                                             // the full net (evaluation)
 * @since 0.1.0
 * @category constructors
 */
export const dropout = (p: number): PolyLayer<NoParams> => {
  if (!(typeof p === 'number' && p >= 0 && p < 1)) throw new RangeError(`dropout: p must be a drop probability in [0, 1), got ${p}`);
  const keep = 1 - p;
  const identity = (ctx: Context | undefined): boolean => ctx === undefined || !ctx.training || p === 0;
  /** `[y, scale]`: y = x ⊙ m/(1−p) and the scale m/(1−p), m drawn from the key (one kernel, shared with fit's interpreter). */
  const draw = <B extends number, N extends number>(x: Mat<B, N>, ctx: Context): readonly [Mat<B, N>, Mat<B, N>] => {
    if (ctx.key === undefined) {
      throw new Error('dropout: training mode needs a PRNG key, pass ctx = { training: true, key } (fit does this for every step)');
    }
    const n = x.data.length;
    const scale = new Float64Array(n);
    const y = new Float64Array(n);
    K.dropoutForward(bernoulliDraws(ctx.key, keep), keep, x.data, 0, scale, 0, y, 0, n);
    return [unsafeMat(x.rows, x.cols, y), unsafeMat(x.rows, x.cols, scale)];
  };
  const times = <B extends number, N extends number>(a: Mat<B, N>, s: Mat<B, N>): Mat<B, N> => {
    const out = new Float64Array(a.data.length);
    K.multiplyInto(a.data, 0, s.data, 0, out, 0, out.length);
    return unsafeMat(a.rows, a.cols, out);
  };
  const layer = definePolyLayer<NoParams>({
    kind: 'dropout',
    config: { p },
    init: () => noParams,
    forward: (_p, x, ctx) => (identity(ctx) ? x : draw(x, ctx!)[0]),
    vjp: <B extends number, N extends number>(_p: NoParams, x: Mat<B, N>, ctx?: Context) => {
      if (identity(ctx)) return [x, (dy: Mat<B, N>) => [noParams, dy] as const] as const;
      const [y, s] = draw(x, ctx!);
      return [y, (dy: Mat<B, N>) => [noParams, times(dy, s)] as const] as const;
    },
    jvp: (_p, x, _dp, dx, ctx) => {
      if (identity(ctx)) return [x, dx];
      const [y, s] = draw(x, ctx!);
      return [y, times(dx, s)];
    },
  });
  return withForm(layer, { op: 'dropout', p });
};
