/**
 * How sparse a parameter tree is: the count and share of entries with `|θ| ≤ tol`.
 *
 * @module
 */
import * as Params from '../../params.js';
import { allParams, type ParamMask } from './mask.js';

/**
 * Near-zero entries of one leaf: `zeros = #{i : |θ_i| ≤ tol}` out of `total`, `share = zeros / total`.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface LeafSparsity {
  readonly path: string;
  readonly zeros: number;
  readonly total: number;
  readonly share: number;
}

/**
 * The sparsity report: per leaf (in `params.leaves` order) and over all reported leaves.
 *
 * @since 0.1.0
 * @category model
 */
export interface SparsityReport {
  readonly zeros: number;
  readonly total: number;
  readonly share: number;
  readonly leaves: readonly LeafSparsity[];
}

/**
 * Counts the entries with `|θ_i| ≤ tol` (default `tol = 0`: exact zeros, as {@link proximalL1}
 * makes them), per leaf and in total, over the leaves the mask selects (default: all).
 *
 * @example
 * sparsity(params, 1e-8)   // { zeros: 12, total: 50, share: 0.24, leaves: [{ path: '0.w', … }, …] }
 * @since 0.1.0
 * @category destructors
 */
export const sparsity = <P>(params: P, tol = 0, mask: ParamMask = allParams): SparsityReport => {
  if (!(tol >= 0)) throw new RangeError(`sparsity: tol must be ≥ 0, got ${tol}`);
  const leaves: readonly LeafSparsity[] = Params.leaves(params)
    .filter(({ path, tensor }) => mask(path, tensor))
    .map(({ path, tensor }) => {
      const zeros = tensor.data.reduce((n, x) => (Math.abs(x) <= tol ? n + 1 : n), 0);
      const total = tensor.data.length;
      return Object.freeze({ path, zeros, total, share: total === 0 ? 0 : zeros / total });
    });
  const zeros = leaves.reduce((n, l) => n + l.zeros, 0);
  const total = leaves.reduce((n, l) => n + l.total, 0);
  return Object.freeze({ zeros, total, share: total === 0 ? 0 : zeros / total, leaves: Object.freeze(leaves) });
};
