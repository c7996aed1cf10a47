/**
 * `chain`: the composition of gradient transformations, the glue of every optimizer recipe.
 *
 * @module
 */
import { inPlaceUpdateOf, withInPlaceUpdate, type InPlaceUpdate, type ParamLayout, type UpdateKernel } from '../lowering.js';
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
  const frozen = Object.freeze(t);
  const lowered = parts.map((p) => inPlaceUpdateOf(p));
  return lowered.every((u) => u !== undefined) ? withInPlaceUpdate(frozen, chainInPlace(lowered as readonly InPlaceUpdate<unknown>[])) : frozen;
};

/**
 * The parts' in-place updates run one after the other on the same update vector; the state
 * buffers and counters are the parts' in order (so a chain of lowered parts is lowered). A chain
 * whose last part ends in a learning-rate scale ends in it too (`split`).
 */
const chainInPlace = (parts: readonly InPlaceUpdate<unknown>[]): InPlaceUpdate<readonly unknown[]> => {
  const slotAt: number[] = [];
  const countAt: number[] = [];
  let slots = 0;
  let counters = 0;
  for (const p of parts) {
    slotAt.push(slots);
    countAt.push(counters);
    slots += p.slots;
    counters += p.counters;
  }
  /** Runs `kernels[i]` (part i's, or undefined) on the part's own buffers and counters. */
  const sequence = (kernels: readonly (UpdateKernel | undefined)[]): UpdateKernel => {
    // the interpreter passes the same two buffer lists every step: their slices are made once
    const memo = new WeakMap<readonly Float64Array[], readonly (readonly Float64Array[])[]>();
    const byPart = (bufs: readonly Float64Array[]): readonly (readonly Float64Array[])[] => {
      let m = memo.get(bufs);
      if (m === undefined) {
        m = parts.map((p, i) => bufs.slice(slotAt[i], slotAt[i]! + p.slots));
        memo.set(bufs, m);
      }
      return m;
    };
    // each part's counters, copied into its own array (made once: no allocation per update)
    const own = parts.map((p) => new Array<number>(p.counters).fill(0));
    const countsOf = (i: number, counts: readonly number[]): readonly number[] => {
      const o = own[i]!;
      for (let j = 0; j < o.length; j++) o[j] = counts[countAt[i]! + j]!;
      return o;
    };
    // the first part sees the incoming u: what its kernel returns (‖u‖², see UpdateKernel) is the chain's
    return (u, theta, cur, next, counts) => {
      const c = byPart(cur);
      const n = byPart(next);
      const k0 = kernels[0];
      const r = k0 === undefined ? undefined : k0(u, theta, c[0]!, n[0]!, countsOf(0, counts));
      for (let i = 1; i < kernels.length; i++) {
        const k = kernels[i];
        if (k !== undefined) k(u, theta, c[i]!, n[i]!, countsOf(i, counts));
      }
      return r;
    };
  };
  const L = parts.length - 1;
  const lastSplit = parts[L]!.split;
  const lastCounts = new Array<number>(parts[L]!.counters).fill(0); // the last part's counters, copied per step
  return {
    slots,
    counters,
    read: (state) => {
      const rs = parts.map((p, i) => p.read(state[i]));
      return { trees: rs.flatMap((r) => r.trees), counts: rs.flatMap((r) => r.counts) };
    },
    write: (trees, counts) =>
      Object.freeze(parts.map((p, i) => p.write(trees.slice(slotAt[i], slotAt[i]! + p.slots), counts.slice(countAt[i], countAt[i]! + p.counters)))),
    compile: (layout) => sequence(parts.map((p) => p.compile(layout))),
    ...(lastSplit === undefined
      ? {}
      : {
          split: {
            prefix: (layout: ParamLayout) => {
              const kernels = [...parts.slice(0, L).map((p) => p.compile(layout)), lastSplit.prefix(layout)];
              return kernels.every((k) => k === undefined) ? undefined : sequence(kernels);
            },
            scaleOf: (counts: readonly number[]) => {
              for (let j = 0; j < lastCounts.length; j++) lastCounts[j] = counts[countAt[L]! + j]!;
              return lastSplit.scaleOf(lastCounts);
            },
          },
        }),
  };
};
