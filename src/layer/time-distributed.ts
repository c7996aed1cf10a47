/**
 * `timeDistributed`: one layer applied at every step of a sequence, with shared parameters.
 *
 * @module
 */
import { unsafeMat, type Mat } from '../tensor/mat.js';
import type { Layer, ShapedLayer } from './layer.js';
import { defineLayer } from './define.js';
import { withForm } from './form.js';
import { checkDim, type Dim } from '../shape/dim.js';
import { shapeFields, type Shaped } from '../shape/shaped.js';

/**
 * `timeDistributed(f, T)`: the layer `f: ℝ^I → ℝ^O` applied to each of the `T` steps of a sequence
 * `[T, I]`, with the same parameters at every step: `y_t = f(θ, x_t)`, giving `[T, O]`. A batch
 * `B × (T·I)` is the same row-major data as `(B·T) × I`, so this is one call of `f` on `B·T` rows
 * (no copy); the pullback sums the parameter cotangents over the steps, as `f`'s own pullback
 * sums over rows. Typical use: a dense head after `lstm(…, { returnSequences: true })`.
 *
 * @example
 * const net = sequential(lstm([24, 4], 32, { returnSequences: true }), timeDistributed(dense(32, 1), 24))
 * // ShapedLayer<[24, 4], [24, 1], …>
 * @since 0.2.0
 * @category combinators
 */
export const timeDistributed = <I extends number, O extends number, P, T extends number>(
  layer: Layer<I, O, P>,
  steps: Dim<T, 'timeDistributed: steps'>,
): ShapedLayer<[T, I], [T, O], P> => {
  const T = steps as number;
  checkDim(T, 'timeDistributed: steps');
  const I = layer.inputDim as number;
  const O = layer.outputDim as number;
  type In = Shaped<[T, I]>;
  type Out = Shaped<[T, O]>;
  const f = layer as unknown as Layer<number, number, P>;
  const asSteps = (m: Mat<number, number>, width: number): Mat<number, number> => unsafeMat(m.rows * T, width, m.data);
  const asSequences = <B extends number, W extends number>(m: Mat<number, number>, rows: B, width: W): Mat<B, W> => unsafeMat(rows, width, m.data);
  const distributed = defineLayer<In, Out, P>({
    kind: 'timeDistributed',
    inputDim: (T * I) as In,
    outputDim: (T * O) as Out,
    ...shapeFields([T, I], [T, O]),
    config: { steps: T },
    children: [layer.spec],
    init: layer.init,
    forward: (p, x, ctx) => asSequences(f.forward(p, asSteps(x, I), ctx), x.rows, (T * O) as Out),
    vjp: (p, x, ctx) => {
      const [y, pullback] = f.vjp(p, asSteps(x, I), ctx);
      return [
        asSequences(y, x.rows, (T * O) as Out),
        (dy) => {
          const [dp, dx] = pullback(asSteps(dy, O));
          return [dp, asSequences(dx, x.rows, (T * I) as In)];
        },
      ];
    },
    jvp: (p, x, dp, dx, ctx) => {
      const [y, dy] = f.jvp(p, asSteps(x, I), dp, asSteps(dx, I), ctx);
      return [asSequences(y, x.rows, (T * O) as Out), asSequences(dy, x.rows, (T * O) as Out)];
    },
  });
  return withForm(distributed, { op: 'timeDistributed', layer, steps: T });
};

