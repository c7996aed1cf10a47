/**
 * Layer values whose functions are foldnet's own (built by `dense`, the built-in activations, and
 * `sequential`/`compose` over such layers). The fast training engine reads a model's `spec` to
 * run it in place; it does so only for trusted values, so a layer copied with `{ ...layer, vjp }`
 * (same spec, different functions) always runs through its own functions.
 *
 * @module
 */

const trusted = new WeakSet<object>();

/** Marks a layer value as built by foldnet; returns it. @since 0.1.0 @category internals */
export const markTrusted = <T extends object>(layer: T): T => {
  trusted.add(layer);
  return layer;
};

/** True for layer values built by foldnet (see the module doc). @since 0.1.0 @category internals */
export const isTrusted = (layer: unknown): boolean => typeof layer === 'object' && layer !== null && trusted.has(layer);
