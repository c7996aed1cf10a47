/**
 * Hyper-parameter checks shared by the optimizers, schedules and regularizers: each returns the
 * value or throws a `RangeError` in one wording, `"<where>: <name> must be …, got <v>"`, at
 * construction time (a programming error, before any training). Internal: not exported by src/index.ts.
 *
 * @module
 */

/** `v` if it is finite and `> 0`. @internal */
export const positive = (where: string, name: string, v: number): number => {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${v}`);
  return v;
};

/** `v` if it is finite and `≥ 0`. @internal */
export const nonNegative = (where: string, name: string, v: number): number => {
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${v}`);
  return v;
};

/** `v` if it is an integer `≥ 1`. @internal */
export const positiveInteger = (where: string, name: string, v: number): number => {
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${where}: ${name} must be an integer ≥ 1, got ${v}`);
  return v;
};

/** `v` if it is finite and in `[lo, hi)` (`[lo, hi]` with `closedHi`). @internal */
export const inRange = (where: string, name: string, v: number, lo: number, hi: number, closedHi = false): number => {
  if (!(Number.isFinite(v) && v >= lo && (closedHi ? v <= hi : v < hi))) {
    throw new RangeError(`${where}: ${name} must be in [${lo}, ${hi}${closedHi ? ']' : ')'}, got ${v}`);
  }
  return v;
};
