/**
 * `flatten`: a shaped example read as a plain width.
 *
 * @module
 */
import { unsafeMat } from '../tensor/mat.js';
import type { Layer, NoParams, ShapedLayer } from './layer.js';
import { defineLayer } from './define.js';
import { withForm } from './form.js';
import type { Product } from '../shape/decimal.js';
import { checkShape, shapeFields, shapeSize, type Mutable, type Shaped, type ShapeCheck } from '../shape/shaped.js';

/**
 * `flatten(shape)`: examples of shape `[d1, …, dk]` as vectors of width `d1·…·dk` (the product is
 * computed by the compiler, so `flatten([5, 5, 16])` gives width `400`). Examples are already
 * stored row-major, so the data is shared, not copied; the VJP and JVP pass tangents through.
 *
 * @example
 * const f = flatten([5, 5, 16])  // ShapedLayer<[5, 5, 16], [400], NoParams>
 * @since 0.2.0
 * @category constructors
 */
export const flatten = <const S extends readonly number[]>(shape: ShapeCheck<S, 'flatten: shape'>): ShapedLayer<Mutable<S>, [Product<S>], NoParams> => {
  const s = checkShape(shape, 'flatten: shape');
  const width = shapeSize(s);
  type I = Shaped<Mutable<S>>;
  type O = Product<S>;
  // the rows are the flattened examples already: at inference, the identity
  const layer = defineLayer<I, O, NoParams>({
    kind: 'flatten',
    inputDim: width as I,
    outputDim: width as O,
    ...shapeFields(s, [width]),
    init: () => Object.freeze({}),
    forward: (_p, x) => unsafeMat(x.rows, width as O, x.data),
    vjp: (_p, x) => [unsafeMat(x.rows, width as O, x.data), (dy) => [Object.freeze({}), unsafeMat(x.rows, width as I, dy.data)]],
    jvp: (_p, x, _dp, dx) => [unsafeMat(x.rows, width as O, x.data), unsafeMat(x.rows, width as O, dx.data)],
  });
  return withForm(layer, { op: 'identity' }) as never; // the same type, written as ShapedLayer (checked by the type tests)
};
