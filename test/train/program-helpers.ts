// Shared by the interpreter's tests: a training run on the compiled arena program against the
// same run on the generic immutable step (the reference). The generic run gets copies of the
// optimizer and loss made with `{ ...value }`: a copy carries no lowered form (lowered forms are
// attached by identity), so fit folds makeStep for it.
import { expect } from 'vitest';
import { fit, key, mse, params as Params, sgd, type AnyLayer, type GradientTransformation, type Loss, type Mat, type Penalty } from '../../src/index.js';

/** A copy of a value: the same fields, no lowered form. */
export const hidden = <T extends object>(v: T): T => ({ ...v });

/** One training setup; unset fields default to `mse`, `sgd(0.05)`, batch size 16, the suite's targets. */
export interface Case {
  readonly name: string;
  readonly net: AnyLayer;
  readonly loss?: Loss<number>;
  readonly targets?: Mat<number, number>;
  readonly optimizer?: GradientTransformation<unknown>;
  readonly penalty?: Penalty;
  readonly batchSize?: number | 'full';
  readonly extra?: Record<string, unknown>;
}

/**
 * `run(c, generic)`: `epochs` epochs of `fit` on the inputs `inputs(c)` and targets `c.targets ?? y`
 * from `init(key(5))` with key 9, on the interpreter (`generic = false`) or the generic step.
 * `expectSame(c)`: both runs give the same parameters, optimizer state, history and stop reason,
 * bit for bit; it returns the interpreter's run.
 */
export const programHarness = <C extends Case>(inputs: (c: C) => Mat<number, number>, y: Mat<number, number>, epochs: number) => {
  const run = (c: C, generic: boolean) => {
    const loss = c.loss ?? mse;
    const opt = c.optimizer ?? (sgd(0.05) as GradientTransformation<unknown>);
    return fit(c.net, c.net.init(key(5)), { x: inputs(c), y: c.targets ?? y }, {
      loss: generic ? hidden(loss) : loss,
      optimizer: generic ? hidden(opt) : opt,
      epochs,
      batchSize: c.batchSize ?? 16,
      key: key(9),
      ...(c.penalty === undefined ? {} : { penalty: c.penalty }),
      ...(c.extra ?? {}),
    } as Parameters<typeof fit>[3]);
  };
  const expectSame = (c: C): ReturnType<typeof run> => {
    const fast = run(c, false);
    const slow = run(c, true);
    expect(Params.flatten(fast.params)).toEqual(Params.flatten(slow.params));
    expect(JSON.stringify(fast.state.optState)).toEqual(JSON.stringify(slow.state.optState));
    expect({ ...fast.history }).toEqual({ ...slow.history });
    expect(fast.stopReason).toEqual(slow.stopReason);
    return fast;
  };
  return { run, expectSame };
};
