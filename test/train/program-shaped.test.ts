import { afterAll, describe, expect, it } from 'vitest';
import {
  adam, adamw, avgPool, chain, clipByGlobalNorm, defineLayer, dropout, gru, rnn, conv1d, conv2d, dense, flatten, fit, globalAvgPool, key, loweringOf, lstm, maxPool, mse,
  normal, params as Params, predict, relu, sequential, sgd, softmax, softmaxCrossEntropy, tanh, timeDistributed, unsafeMat,
  type AnyLayer, type GradientTransformation, type Loss,
} from '../../src/index.js';
import { allStages } from '../../src/lowering.js';
import { compileProgram } from '../../src/train/engine.js';
import { setScalarOnly } from '../../src/tensor/wasm/arena.js';
import { programHarness, type Case } from './program-helpers.js';

// Convolutions and pooling lowered into the interpreter (im2col + the arena GEMM, pooling
// kernels; flatten is no stage at all) against the generic immutable step, which runs the
// layers' own forward/vjp: bit for bit. The generic run gets copies of the optimizer and loss
// (a copy carries no lowered form, so fit folds makeStep for it).

const n = 50; // a partial last batch at batch size 16
const image = (shape: readonly number[]) => unsafeMat(n, shape.reduce((a, b) => a * b, 1), normal(key(1), n * shape.reduce((a, b) => a * b, 1), 1));
const y = unsafeMat(n, 3, normal(key(2), n * 3, 1));
const labels = new Float64Array(n * 3);
for (let r = 0; r < n; r++) labels[r * 3 + ((r * 7) % 3)] = 1;
const onehot = unsafeMat(n, 3, labels);

interface ShapedCase extends Case {
  readonly shape: readonly number[];
}

const harness = programHarness<ShapedCase>((c) => image(c.shape), y, 2);

const expectSame = (c: ShapedCase): void => {
  const fast = harness.expectSame(c);
  // training moved the parameters (a run that does nothing would also be "the same")
  expect(Params.flatten(fast.params)).not.toEqual(Params.flatten(c.net.init(key(5))));
};

/** The ops the model lowers to (those inside a `distribute` included): no opaque stage may be left. */
const opsOf = (net: AnyLayer): readonly string[] => allStages(loweringOf(net)!(net.inputDim)).map((s) => s.op);

const cases: ShapedCase[] = [
  {
    name: 'conv2d valid → relu → maxPool → conv2d → relu → maxPool → flatten → dense (W9 in small)',
    shape: [10, 10, 2],
    net: sequential(
      conv2d([10, 10, 2], { filters: 4, kernel: 3 }), relu, maxPool([8, 8, 4], 2),
      conv2d([4, 4, 4], { filters: 6, kernel: 2 }), relu, maxPool([3, 3, 6], 2),
      flatten([1, 1, 6]), dense(6, 3),
    ),
    optimizer: adam(0.01) as GradientTransformation<unknown>,
  },
  {
    name: "conv2d 'same' with stride 2 and a non-square kernel, avgPool, globalAvgPool, softmax CE",
    shape: [9, 7, 3],
    net: sequential(
      conv2d([9, 7, 3], { filters: 5, kernel: [3, 2], stride: 2, padding: 'same' }), tanh, avgPool([5, 4, 5], 2),
      conv2d([2, 2, 5], { filters: 8, kernel: 1 }), relu, globalAvgPool([2, 2, 8]), dense(8, 3),
    ),
    loss: softmaxCrossEntropy,
    targets: onehot,
  },
  {
    name: "conv1d 'same' → relu → maxPool 1-D with stride → conv1d stride 2 → avgPool 1-D → flatten → dense",
    shape: [12, 3],
    net: sequential(
      conv1d([12, 3], { filters: 4, kernel: 3, padding: 'same' }), relu, maxPool([12, 4], 3, { stride: 2 }),
      conv1d([5, 4], { filters: 6, kernel: 2, stride: 2 }), avgPool([2, 6], 2), flatten([1, 6]), dense(6, 3),
    ),
  },
  {
    name: "a 'same' conv after another (its input gradient drops the padding) and maxPool first",
    shape: [8, 8, 1],
    net: sequential(
      maxPool([8, 8, 1], 2), conv2d([4, 4, 1], { filters: 2, kernel: 1 }), relu,
      conv2d([4, 4, 2], { filters: 3, kernel: 3, padding: 'same' }), flatten([4, 4, 3]), dense(48, 3),
    ),
  },
  {
    name: "maxPool and avgPool with padding 'same' (the overhang ignored, the mean over the entries inside)",
    shape: [7, 5, 2],
    net: sequential(
      maxPool([7, 5, 2], 2, { padding: 'same' }), conv2d([4, 3, 2], { filters: 3, kernel: 2, padding: 'same' }), relu,
      avgPool([4, 3, 3], 3, { stride: 2, padding: 'same' }), flatten([2, 2, 3]), dense(12, 3),
    ),
  },
];

describe('convolutions and pooling lower into the interpreter', () => {
  it.each(cases)('no opaque stage: $name', (c) => {
    const ops = opsOf(c.net);
    expect(ops).not.toContain('opaque');
    expect(ops).toContain('conv');
    expect(ops).toContain('pool');
    expect(compileProgram(c.net, c.net.init(key(5)), c.loss ?? mse, sgd(0.1) as GradientTransformation<unknown>, undefined, key(0), 16)).toBeDefined();
  });

  it('flatten lowers to no stage at all', () => {
    expect(loweringOf(flatten([5, 5, 16]))!(400)).toEqual([]);
  });
});

describe('the compiled program equals the generic step on convolutions and pooling, bit for bit', () => {
  it.each(cases)('$name', (c) => expectSame(c));

  it('batch 1 and full batch', () => {
    expectSame({ ...cases[0]!, batchSize: 1 });
    expectSame({ ...cases[2]!, batchSize: n });
  });

  it('runs the scalar GEMM path with the same numbers', () => {
    setScalarOnly(true);
    try {
      expectSame(cases[0]!);
    } finally {
      setScalarOnly(false);
    }
  });
});

afterAll(() => setScalarOnly(false));

describe('predict runs the lowered convolutions and equals model.forward bit for bit', () => {
  it.each(cases)('$name', (c) => {
    const p = c.net.init(key(8));
    const big = unsafeMat(300, c.net.inputDim, normal(key(12), 300 * c.net.inputDim, 2));
    expect(predict(c.net, p, big).data).toEqual(c.net.forward(p, big).data);
  });
});

// Recurrent layers lowered into the interpreter (src/train/recurrence.ts: the input part of all
// steps' gates in one GEMM, one GEMM per step for the hidden part of all gates, the cells' own
// element-wise kernels, BPTT over the stored gates) against the generic scan of the cell's own
// vjp: bit for bit, with no tolerance. Splitting [x_t, h_{t-1}]·W + b into X·W_x + b and then
// += h_{t-1}·W_h keeps each entry's summation order (from the bias, ascending), and each step's
// weight gradient is formed on its own and then added in the scan's order, so nothing differs.
const clippedAdam = chain(clipByGlobalNorm(1), adam(0.01)) as GradientTransformation<unknown>;
const recurrentCases: ShapedCase[] = [
  { name: 'lstm (last state) → dense, Adam after clipByGlobalNorm', shape: [6, 4], net: sequential(lstm([6, 4], 8), dense(8, 3)), optimizer: clippedAdam },
  {
    name: 'lstm returnSequences → lstm (last state, learned initial state) → dense, Adam',
    shape: [5, 3],
    net: sequential(lstm([5, 3], 6, { returnSequences: true }), lstm([5, 6], 4, { learnInitialState: true }), dense(4, 3)),
    optimizer: adam(0.01) as GradientTransformation<unknown>,
  },
  {
    name: 'lstm returnSequences (learned initial state) → flatten → dense → relu → dense, clipByGlobalNorm + Adam',
    shape: [4, 2],
    net: sequential(lstm([4, 2], 5, { returnSequences: true, learnInitialState: true }), flatten([4, 5]), dense(20, 6), relu, dense(6, 3)),
    optimizer: clippedAdam,
  },
  { name: 'gru (last state) → dense, Adam after clipByGlobalNorm', shape: [6, 4], net: sequential(gru([6, 4], 8), dense(8, 3)), optimizer: clippedAdam },
  {
    name: 'gru returnSequences (learned initial state) → gru → dense, Adam',
    shape: [5, 3],
    net: sequential(gru([5, 3], 6, { returnSequences: true, learnInitialState: true }), gru([5, 6], 4), dense(4, 3)),
    optimizer: adam(0.01) as GradientTransformation<unknown>,
  },
  { name: 'rnn (last state, learned initial state) → dense, clipByGlobalNorm + Adam', shape: [6, 4], net: sequential(rnn([6, 4], 8, { learnInitialState: true }), dense(8, 3)), optimizer: clippedAdam },
  {
    name: 'rnn returnSequences → rnn → dense, SGD',
    shape: [5, 3],
    net: sequential(rnn([5, 3], 6, { returnSequences: true }), rnn([5, 6], 4), dense(4, 3)),
  },
];

describe('recurrent layers lower into the interpreter', () => {
  it.each(recurrentCases)('no opaque stage: $name', (c) => {
    const ops = opsOf(c.net);
    expect(ops).not.toContain('opaque');
    expect(ops).toContain('recurrent');
    // the program compiles (a stage that cannot run would make fit fold the generic step instead)
    expect(compileProgram(c.net, c.net.init(key(5)), c.loss ?? mse, sgd(0.1) as GradientTransformation<unknown>, undefined, key(0), 16)).toBeDefined();
  });
});

describe('the compiled program equals the generic step on recurrent layers, bit for bit', () => {
  it.each(recurrentCases)('$name', (c) => expectSame(c));

  it('batch 1, full batch and the scalar GEMM path', () => {
    expectSame({ ...recurrentCases[1]!, batchSize: 1 });
    expectSame({ ...recurrentCases[4]!, batchSize: n });
    setScalarOnly(true);
    try {
      expectSame(recurrentCases[0]!);
      expectSame(recurrentCases[3]!);
    } finally {
      setScalarOnly(false);
    }
  });

  it('a recurrent layer whose stored steps would pass 512 MiB of arena is not compiled (fit folds the generic step)', () => {
    const big = sequential(lstm([400, 8], 256), dense(256, 3));
    expect(compileProgram(big, big.init(key(5)), mse, sgd(0.1) as GradientTransformation<unknown>, undefined, key(0), 16)).toBeUndefined();
  });

  it('an LSTM large enough for the SIMD GEMM on every product (batch 16, hidden 32) trains bit for bit as the generic step', () => {
    expectSame({ name: 'lstm', shape: [6, 4], net: sequential(lstm([6, 4], 32), dense(32, 3)), optimizer: adam(0.01) as GradientTransformation<unknown> });
  });
});

describe('predict runs the lowered recurrent layers and equals model.forward bit for bit', () => {
  it.each(recurrentCases)('$name', (c) => {
    const p = c.net.init(key(8));
    const big = unsafeMat(300, c.net.inputDim, normal(key(12), 300 * c.net.inputDim, 2));
    expect(predict(c.net, p, big).data).toEqual(c.net.forward(p, big).data);
  });
});

// timeDistributed lowers to a `distribute` stage: its inner layer's stages run on B·T rows of the
// step width (the same row-major data as B rows of width T·I), against the generic step, which
// calls the inner layer's own vjp on those B·T rows: bit for bit.

/** A user layer without a lowered form: y = 2x (runs as an opaque stage inside the distribute). */
const doubled = defineLayer<4, 4, readonly []>({
  kind: 'double',
  inputDim: 4,
  outputDim: 4,
  init: () => Object.freeze([] as const),
  forward: (_p, x) => unsafeMat(x.rows, 4, x.data.map((v) => 2 * v)) as never,
  vjp: (_p, x) => [unsafeMat(x.rows, 4, x.data.map((v) => 2 * v)) as never, (dy) => [Object.freeze([] as const), unsafeMat(dy.rows, 4, dy.data.map((g) => 2 * g)) as never]],
  jvp: (_p, x, _dp, dx) => [unsafeMat(x.rows, 4, x.data.map((v) => 2 * v)) as never, unsafeMat(dx.rows, 4, dx.data.map((v) => 2 * v)) as never],
});

const distributedCases: ShapedCase[] = [
  {
    name: 'lstm returnSequences → timeDistributed(dense) (a dense head per step), Adam',
    shape: [3, 2],
    net: sequential(lstm([3, 2], 6, { returnSequences: true }), timeDistributed(dense(6, 1), 3)),
    optimizer: adam(0.01) as GradientTransformation<unknown>,
  },
  {
    name: 'timeDistributed(dense → relu → dropout → dense → softmax) → flatten → dense, AdamW (the mask drawn over B·T rows)',
    shape: [3, 4],
    net: sequential(timeDistributed(sequential(dense(4, 5), relu, dropout(0.3), dense(5, 2), softmax), 3), flatten([3, 2]), dense(6, 3)),
    optimizer: adamw(0.01, { weightDecay: 0.01 }) as GradientTransformation<unknown>,
  },
  {
    name: 'timeDistributed of conv1d → relu → maxPool → flatten (im2col and the pooling argmax over B·T images) → flatten → dense',
    shape: [3, 8],
    net: sequential(
      timeDistributed(sequential(conv1d([4, 2], { filters: 2, kernel: 2 }), relu, maxPool([3, 2], 2), flatten([1, 2])), 3), flatten([3, 2]), dense(6, 3),
    ),
  },
  {
    name: 'timeDistributed nested in timeDistributed (B·3·2 rows)',
    shape: [3, 2, 2],
    net: sequential(timeDistributed(sequential(timeDistributed(dense(2, 1), 2), tanh, flatten([2, 1])), 3), flatten([3, 2]), dense(6, 3)),
  },
];

describe('timeDistributed lowers into the interpreter', () => {
  it.each(distributedCases)('no opaque stage: $name', (c) => {
    const ops = opsOf(c.net);
    expect(ops).not.toContain('opaque');
    expect(ops).toContain('distribute');
    expect(compileProgram(c.net, c.net.init(key(5)), c.loss ?? mse, sgd(0.1) as GradientTransformation<unknown>, undefined, key(0), 16)).toBeDefined();
  });

  it("a layer without a lowered form inside it is an opaque stage there, with the inner width", () => {
    const net = sequential(lstm([3, 2], 4, { returnSequences: true }), timeDistributed(doubled, 3), flatten([3, 4]), dense(12, 3));
    const [, distribute] = loweringOf(net)!(6);
    expect(distribute).toMatchObject({ op: 'distribute', steps: 3, stages: [{ op: 'opaque', layer: doubled, outputDim: 4, at: [1] }] });
  });
});

describe('the compiled program equals the generic step on timeDistributed, bit for bit', () => {
  it.each(distributedCases)('$name', (c) => expectSame(c));

  it('an opaque layer inside it, batch 1, full batch and the scalar GEMM path', () => {
    expectSame({ name: 'opaque inside', shape: [3, 2], net: sequential(lstm([3, 2], 4, { returnSequences: true }), timeDistributed(doubled, 3), flatten([3, 4]), dense(12, 3)) });
    expectSame({ ...distributedCases[1]!, batchSize: 1 });
    expectSame({ ...distributedCases[0]!, batchSize: n });
    setScalarOnly(true);
    try {
      expectSame(distributedCases[1]!);
    } finally {
      setScalarOnly(false);
    }
  });
});

describe('predict runs the lowered timeDistributed and equals model.forward bit for bit', () => {
  it.each(distributedCases)('$name', (c) => {
    const p = c.net.init(key(8));
    const big = unsafeMat(300, c.net.inputDim, normal(key(12), 300 * c.net.inputDim, 2));
    expect(predict(c.net, p, big).data).toEqual(c.net.forward(p, big).data);
  });
});
