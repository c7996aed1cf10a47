/**
 * Parameter masks: which leaves of a parameter tree a regularizer touches. A mask is a predicate
 * over the leaves' paths (`"0.w"`, `"2.b"`, as listed by `params.leaves`), so it works for every
 * architecture; {@link pathMask} adds a compile-time check of the path names against a net's
 * parameter type.
 *
 * Every regularizer in foldnet takes an optional mask whose default is {@link allParams}: the
 * weight decay of the lecture on training multilayer perceptrons, `λ(Σw² + Σb²)`, includes the
 * biases, and so does the default here. Pass {@link excludeBiases} (or {@link onlyWeights}) for the
 * convention of scikit-learn and Keras.
 *
 * @module
 */
import * as Params from '../../params.js';
import type { Tensor } from '../../tensor/mat.js';
import type { Key } from '../../random.js';
import type { ParamLayout } from '../../lowering.js';

/**
 * Selects parameter leaves by path (`"0.w"`: the weights of the tuple's element 0) and leaf.
 * `true` means "regularize this leaf".
 *
 * @since 0.1.0
 * @category model
 */
export type ParamMask = (path: string, leaf: Tensor) => boolean;

/**
 * Every leaf: the lecture's `λ(Σw² + Σb²)`. The default of every regularizer.
 *
 * @since 0.1.0
 * @category masks
 */
export const allParams: ParamMask = () => true;

const lastSegment = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/**
 * Every leaf except biases, i.e. except leaves named `b` (dense's bias field): `λΣw²`, as in
 * scikit-learn's `alpha` and Keras' `kernel_regularizer`.
 *
 * @since 0.1.0
 * @category masks
 */
export const excludeBiases: ParamMask = (path) => lastSegment(path) !== 'b';

/**
 * Only matrix leaves (weight matrices `W: I × O`); every vector leaf (biases and any other
 * per-unit parameter) is left alone.
 *
 * @since 0.1.0
 * @category masks
 */
export const onlyWeights: ParamMask = (_path, leaf) => 'rows' in leaf;

/**
 * Only the leaves of the given positions of a composite's parameter tuple (`sequential`'s
 * argument positions counted from 0, so `onlyLayers(0)` is the first layer).
 *
 * @example
 * weightDecay(1e-3, maskAnd(onlyLayers(0), excludeBiases))   // decay the first layer's weights only
 * @since 0.1.0
 * @category masks
 */
export const onlyLayers = (...indices: readonly number[]): ParamMask => {
  const wanted = new Set(indices.map(String));
  return (path) => wanted.has(path.split('.')[0] ?? '');
};

/** Leaves selected by both masks. @since 0.1.0 @category combinators */
export const maskAnd = (a: ParamMask, b: ParamMask): ParamMask => (path, leaf) => a(path, leaf) && b(path, leaf);

/** Leaves selected by either mask. @since 0.1.0 @category combinators */
export const maskOr = (a: ParamMask, b: ParamMask): ParamMask => (path, leaf) => a(path, leaf) || b(path, leaf);

/** Leaves not selected by the mask. @since 0.1.0 @category combinators */
export const maskNot = (a: ParamMask): ParamMask => (path, leaf) => !a(path, leaf);

type Join<K extends string, Rest extends string> = Rest extends '' ? K : `${K}.${Rest}`;

/**
 * The union of leaf paths of a parameter type, as `params.leaves` spells them:
 * `LeafPath<[DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>` is `"0.w" | "0.b" | "2.w" | "2.b"`.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type LeafPath<P> = P extends { readonly data: Float64Array }
  ? ''
  : P extends readonly unknown[]
    ? { [K in keyof P]: K extends `${number}` ? Join<K, LeafPath<P[K]>> : never }[number]
    : P extends object
      ? { [K in keyof P & string]: [P[K]] extends [never] ? never : Join<K, LeafPath<P[K]>> }[keyof P & string]
      : never;

/**
 * Exactly the named leaves of `net`'s parameters. Curried so that the net fixes the parameter
 * type first: a misspelt or absent path is then a compile error (see {@link LeafPath}).
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 2))
 * const m = pathMask(net)('0.w', '2.w')   // pathMask(net)('1.w') does not compile
 * @since 0.1.0
 * @category masks
 */
export const pathMask =
  <P>(_net: { readonly init: (key: Key) => P }) =>
  (...paths: readonly LeafPath<P>[]): ParamMask => {
    const wanted = new Set<string>(paths);
    return (path) => wanted.has(path);
  };

/**
 * The mask as a 0/1 tree of the parameters' shape (1 where the mask selects the leaf).
 *
 * @since 0.1.0
 * @category destructors
 */
export const maskTree = <P>(params: P, mask: ParamMask): P =>
  Params.mapLeaves(params, (leaf, path) => Params.fullLike(leaf, mask(path, leaf) ? 1 : 0).data);

/**
 * The mask as a flat 0/1 vector over a parameter layout (1 on the entries of selected leaves),
 * the form the regularizers' kernels read.
 *
 * @since 0.2.0
 * @category destructors
 */
export const maskVector = (layout: ParamLayout, mask: ParamMask): Float64Array => {
  const out = new Float64Array(layout.size);
  for (const l of layout.leaves) if (mask(l.path, l.tensor)) out.fill(1, l.offset, l.offset + l.length);
  return out;
};
