/**
 * A splittable, counter-based PRNG. Keys are immutable values (as in JAX): the same key always
 * gives the same numbers, and `split` derives independent keys instead of advancing hidden state.
 * Nothing in foldnet reads `Math.random`.
 *
 * Each draw hashes (key, counter) with a murmur3-style finaliser over two 32-bit words, so a
 * stream of n numbers costs n hashes and needs no state.
 *
 * @module
 */

/**
 * A PRNG key: two 32-bit words. Make one with {@link key}, derive more with {@link split}.
 *
 * @since 0.1.0
 * @category model
 */
export interface Key {
  readonly _tag: 'Key';
  readonly k0: number;
  readonly k1: number;
}

const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Two rounds of mixing of (k0, k1, counter) into one 32-bit word; `lane` separates streams. */
const hash = (k: Key, counter: number, lane: number): number => {
  const a = fmix((k.k0 ^ Math.imul(counter + 1, 0x9e3779b9)) >>> 0);
  return fmix((a + Math.imul(k.k1 ^ lane, 0x85ebca77) + (counter >>> 16)) >>> 0);
};

const makeKey = (k0: number, k1: number): Key => Object.freeze({ _tag: 'Key' as const, k0: k0 >>> 0, k1: k1 >>> 0 });

/**
 * A key from an integer seed. `key(0)` and `key(1)` give unrelated streams.
 *
 * @since 0.1.0
 * @category constructors
 */
export const key = (seed: number): Key => {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`key: seed must be a safe integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return makeKey(fmix(lo ^ 0x6a09e667), fmix(hi ^ 0xbb67ae85 ^ fmix(lo)));
};

/**
 * Splits a key into `n` (default 2) new independent keys. The input key should not be used
 * again for drawing afterwards.
 *
 * @since 0.1.0
 * @category combinators
 */
export function split(k: Key): [Key, Key];
export function split(k: Key, n: number): Key[];
export function split(k: Key, n = 2): Key[] {
  return Array.from({ length: n }, (_, i) => makeKey(hash(k, i, 0x51ed270b), hash(k, i, 0x2f8c1a93)));
}

/**
 * A new key derived from `k` and an integer (e.g. a step or epoch number), without splitting.
 *
 * @since 0.1.0
 * @category combinators
 */
export const foldIn = (k: Key, data: number): Key => makeKey(hash(k, data >>> 0, 0x1b873593), hash(k, data >>> 0, 0xcc9e2d51));

/**
 * `n` uniform numbers in [lo, hi), 53 bits each.
 *
 * @since 0.1.0
 * @category draws
 */
export const uniform = (k: Key, n: number, lo = 0, hi = 1): Float64Array => {
  const out = new Float64Array(n);
  const draw = uniformDraws(k);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * draw(i);
  return out;
};

/**
 * The three words key k's draw stream is hashed from: `k0` and the two lanes' seeds
 * `lane_j = (k1 ⊕ j)·0x85ebca77` (mod 2³²), j = 1, 2 — what a kernel drawing the stream itself
 * (the arena's dropout) is given.
 *
 * @since 0.2.0
 * @category internals
 */
export const streamWords = (k: Key): readonly [number, number, number] =>
  [k.k0, Math.imul(k.k1 ^ 1, 0x85ebca77), Math.imul(k.k1 ^ 2, 0x85ebca77)] as const;

/**
 * The stream of key k's uniform draws in [0, 1) as a function of the position i (53 bits each):
 * `uniformDraws(k)(i)` is `uniform(k, n)[i]` for every n > i, without an array. Kernels that
 * consume draws entry by entry (dropout's mask) take it instead of an allocated array.
 *
 * @since 0.2.0
 * @category draws
 */
export const uniformDraws = (k: Key): ((i: number) => number) => {
  const [, lane1, lane2] = streamWords(k);
  return (i) => {
    const a = fmix((k.k0 ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0);
    const c = i >>> 16;
    const h1 = fmix((a + lane1 + c) >>> 0);
    const h2 = fmix((a + lane2 + c) >>> 0);
    return ((h1 >>> 5) * 67108864 + (h2 >>> 6)) / 9007199254740992;
  };
};

/**
 * The stream of key k's Bernoulli draws with probability p as a function of the position i:
 * `bernoulliDraws(k, p)(i)` is `uniformDraws(k)(i) < p`, decided from the draw's high 27 bits
 * alone unless they equal ⌊p·2²⁷⌋ (then the low 26 bits are hashed too): the draw is
 * (h·2²⁶ + l)/2⁵³ with l < 2²⁶, so h < ⌊p·2²⁷⌋ puts it below p and h > ⌊p·2²⁷⌋ at or above p.
 * Dropout's mask is drawn from it, entry by entry.
 *
 * @since 0.2.0
 * @category draws
 */
export const bernoulliDraws = (k: Key, p: number): ((i: number) => boolean) => {
  const [, lane1, lane2] = streamWords(k);
  const hiP = Math.floor(p * 134217728);
  return (i) => {
    const a = fmix((k.k0 ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0);
    const c = i >>> 16;
    const h = fmix((a + lane1 + c) >>> 0) >>> 5;
    if (h !== hiP) return h < hiP; // p = NaN: hiP is NaN, h < NaN is false, as draw < NaN
    return (h * 67108864 + (fmix((a + lane2 + c) >>> 0) >>> 6)) / 9007199254740992 < p;
  };
};

/**
 * `n` standard normal numbers (Box–Muller), times `std`.
 *
 * @since 0.1.0
 * @category draws
 */
export const normal = (k: Key, n: number, std = 1): Float64Array => {
  const u = uniform(k, n + (n % 2));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u[i]!));
    const t = 2 * Math.PI * u[i + 1]!;
    out[i] = std * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = std * r * Math.sin(t);
  }
  return out;
};

/**
 * A uniformly random permutation of 0..n−1 (Fisher–Yates driven by the key).
 *
 * @since 0.1.0
 * @category draws
 */
export const permutation = (k: Key, n: number): Int32Array => {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const u = uniform(k, n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i]! * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
};

/**
 * `n` Bernoulli draws: 1 with probability `p`, else 0.
 *
 * @since 0.1.0
 * @category draws
 */
export const bernoulli = (k: Key, n: number, p: number): Float64Array => {
  const out = new Float64Array(n);
  const draw = bernoulliDraws(k, p);
  for (let i = 0; i < n; i++) out[i] = draw(i) ? 1 : 0;
  return out;
};
