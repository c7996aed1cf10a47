/**
 * `chain`: the composition of gradient transformations, the glue of every optimizer recipe.
 *
 * @module
 */
import type { GradientTransformation } from './transform.js';

/**
 * The state type of a gradient transformation.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never;

/**
 * Any gradient transformation, whatever its state type: `GradientTransformation<S>` is invariant
 * in `S`, but every one of them is assignable to this (a state of some type comes out of `init`
 * and `update`; `never` goes in), so `chain` needs no `any` bound.
 */
type SomeTransformation = {
  readonly init: <P>(params: P) => unknown;
  readonly update: <P>(grads: P, state: never, params: P) => readonly [updates: P, state: unknown];
};

/**
 * `chain(t₁, …, t_k)`: feeds the gradient through `t₁`, its output through `t₂`, and so on; the
 * state is the tuple of the parts' states. `chain(trace(0.9), scaleByLearningRate(0.1))` is
 * momentum SGD.
 *
 * @example
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3))
 * @since 0.1.0
 * @category combinators
 */
export const chain = <const Ts extends readonly SomeTransformation[]>(
  ...transforms: Ts
): GradientTransformation<{ readonly [K in keyof Ts]: StateOf<Ts[K]> }> => {
  type S = { readonly [K in keyof Ts]: StateOf<Ts[K]> };
  // Each part is used at its own state type; the tuple typing above is what callers see.
  const parts = transforms as unknown as readonly GradientTransformation<unknown>[];
  const t: GradientTransformation<S> = {
    init: (params) => Object.freeze(parts.map((p) => p.init(params))) as unknown as S,
    update: (grads, state, params) => {
      const states = state as unknown as readonly unknown[];
      let u = grads;
      const next: unknown[] = [];
      parts.forEach((p, i) => {
        const [u2, s2] = p.update(u, states[i], params);
        u = u2;
        next.push(s2);
      });
      return [u, Object.freeze(next) as unknown as S] as const;
    },
  };
  return Object.freeze(t);
};
