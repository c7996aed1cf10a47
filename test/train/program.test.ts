import { afterAll, describe, expect, it } from 'vitest';
import {
  adagrad, adam, adamw, addDecayedWeights, binaryCrossEntropy, categoricalCrossEntropy, chain, clipByGlobalNorm, compose, cosineDecay, defineLayer,
  defineLoss, dense, dropout, elementwise, excludeBiases, fit, fitEpochs, huber, huberWith, identity, inverseTime, key, l1Penalty, l2Penalty, leakyRelu, mae,
  momentum, mse, normal, onlyLayers, params as Params, proximalL1, relu, rmsprop, scaleByAdam, scaleByLearningRate, scaleUpdates, sequential, sgd,
  sigmoid, softmax, softmaxCrossEntropy, predict, softplus, standardize, tanh, unsafeMat, weightDecay, ops,
  withInPlaceUpdate, inPlaceUpdateOf, withLowering, loweringOf, evaluate, type AnyLayer, type GradientTransformation, type Loss, type Penalty,
} from '../../src/index.js';
import { compileProgram } from '../../src/train/engine.js';
import { setScalarOnly } from '../../src/tensor/wasm/arena.js';
import { hidden, programHarness, type Case } from './program-helpers.js';

// The compiled arena program against the generic immutable step (the reference), with the
// shared harness (see program-helpers.ts).

const n = 96;
const x = unsafeMat(n, 5, normal(key(1), n * 5, 1));
const y = unsafeMat(n, 3, normal(key(2), n * 3, 1));
const labels = new Float64Array(n * 3);
for (let r = 0; r < n; r++) labels[r * 3 + ((r * 7) % 3)] = 1;
const onehot = unsafeMat(n, 3, labels);
const binary = unsafeMat(n, 3, labels.map((v, i) => (i % 2 === 0 ? v : 1 - v)));

const { run, expectSame } = programHarness<Case>(() => x, y, 3);

const isCompiled = (c: Case): boolean => {
  const p0 = c.net.init(key(5));
  return compileProgram(c.net, p0, c.loss ?? mse, c.optimizer ?? (sgd(0.05) as GradientTransformation<unknown>), c.penalty, key(0), 16) !== undefined;
};

const layerCases: Case[] = [
  { name: 'dense only', net: dense(5, 3) },
  { name: 'dense, relu', net: sequential(dense(5, 16), relu, dense(16, 3)) },
  { name: 'dense, leakyRelu(0.2), tanh', net: sequential(dense(5, 16), leakyRelu(0.2), dense(16, 8), tanh, dense(8, 3)) },
  { name: 'sigmoid, softplus, identity', net: sequential(dense(5, 8), sigmoid, dense(8, 8), softplus, dense(8, 3), identity) },
  { name: 'two activations in a row, relu first', net: sequential(dense(5, 8), relu, tanh, dense(8, 3)) },
  { name: 'softmax as a layer with categorical CE', net: sequential(dense(5, 8), tanh, dense(8, 3), softmax), loss: categoricalCrossEntropy, targets: onehot },
  { name: 'dropout after each hidden relu', net: sequential(dense(5, 16), relu, dropout(0.3), dense(16, 16), relu, dropout(0.1), dense(16, 3)) },
  { name: 'dropout on the input', net: sequential(dropout(0.2), dense(5, 8), relu, dense(8, 3)) },
  { name: 'dropout inside a nested composite', net: sequential(dense(5, 8), sequential(relu, dropout(0.5)), compose(dense(8, 3), dropout(0.25), dense(8, 8))) },
  { name: 'standardize leading', net: sequential(standardize(x), dense(5, 8), relu, dense(8, 3)) },
  { name: 'standardize in the middle', net: sequential(dense(5, 8), tanh, standardize(unsafeMat(n, 8, normal(key(3), n * 8, 2))), dense(8, 3)) },
  { name: 'nested compose and sequential', net: compose(dense(8, 3), compose(tanh, sequential(dense(6, 8), relu)), sequential(dense(5, 6), sigmoid)) },
  { name: 'an elementwise layer of the caller (opaque)', net: sequential(dense(5, 8), elementwise('relu', (v) => Math.max(v, 0) * 1.5, (v) => (v > 0 ? 1.5 : 0)), dense(8, 3)) },
  { name: 'polymorphic layer at a width (at)', net: sequential(dense(5, 8), relu.at(8), dropout(0.2).at(8), dense(8, 3)) },
];

/** A user layer without a lowered form, with parameters: y = x ⊙ s (one scale per column). */
const scaleLayer = defineLayer<8, 8, { readonly s: ReturnType<typeof ops.scale> }>({
  kind: 'dense', // a built-in's name: it must not matter
  inputDim: 8,
  outputDim: 8,
  init: () => Object.freeze({ s: unsafeMat(1, 8, Float64Array.from({ length: 8 }, (_, i) => 0.5 + i / 8)) }),
  forward: (p, xx) => unsafeMat(xx.rows, 8, xx.data.map((v, i) => v * p.s.data[i % 8]!)) as never,
  vjp: (p, xx) => [
    unsafeMat(xx.rows, 8, xx.data.map((v, i) => v * p.s.data[i % 8]!)) as never,
    (dy) => {
      const ds = new Float64Array(8);
      dy.data.forEach((g, i) => (ds[i % 8] += g * xx.data[i]!));
      return [Object.freeze({ s: unsafeMat(1, 8, ds) }), unsafeMat(dy.rows, 8, dy.data.map((g, i) => g * p.s.data[i % 8]!)) as never];
    },
  ],
  jvp: () => {
    throw new Error('not used');
  },
});

describe('predict runs the lowered forward and equals model.forward bit for bit', () => {
  it.each(layerCases)('$name', (c) => {
    const p = c.net.init(key(8));
    const big = unsafeMat(600, 5, normal(key(12), 3000, 2));
    expect(predict(c.net, p, big).data).toEqual(c.net.forward(p, big).data);
    expect(predict(c.net, p, x).data).toEqual(c.net.forward(p, x).data);
  });

  it('the compiled forward is reused across calls: each call reads its own parameters, whatever ran on the arena in between', () => {
    const net = sequential(dense(5, 8), relu, dropout(0.3), dense(8, 3));
    const [p1, p2] = [net.init(key(31)), net.init(key(32))];
    const first = predict(net, p1, x).data;
    expect(first).toEqual(net.forward(p1, x).data);
    expect(predict(net, p2, x).data).toEqual(net.forward(p2, x).data);
    const other = sequential(dense(5, 6), tanh, dense(6, 3));
    fit(other, other.init(key(33)), { x, y }, { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 16, key: key(34) });
    expect(predict(net, p1, x).data).toEqual(first);
  });

  it.each(layerCases)('evaluate reads the same lowered forward: $name', (c) => {
    const p = c.net.init(key(8));
    const sum = { name: 'sum', mode: 'min' as const, compute: (yhat: { data: Float64Array }) => yhat.data.reduce((t, v) => t + v, 0) };
    const yhat = c.net.forward(p, x);
    expect(evaluate(c.net, p, { x, y }, mse, sum)).toEqual({ loss: mse.value(yhat, y), metric: sum.compute(yhat) });
  });

  it('evaluate does not call the model\'s own forward when the model carries a lowered form', () => {
    const net = sequential(dense(5, 4), relu, dense(4, 3));
    const lowered = withLowering({ ...net, forward: () => { throw new Error('the generic forward ran'); } }, loweringOf(net)!);
    const p = net.init(key(8));
    expect(evaluate(lowered, p, { x, y }, mse).loss).toBe(mse.value(net.forward(p, x), y));
  });

  it('input of the wrong width is named before anything runs (untyped callers)', () => {
    const small = sequential(dense(5, 4), relu, dense(4, 3));
    const p = small.init(key(8));
    expect(() => predict(small, p, unsafeMat(2, 4, new Float64Array(8)) as never)).toThrow('predict: x has 4 columns, but the model takes 5 inputs');
  });
});

describe('the compiled program equals the generic step, layer by layer', () => {
  it.each(layerCases)('bit for bit: $name', (c) => {
    expect(isCompiled(c)).toBe(true);
    expectSame(c);
  });

  it('a custom defineLayer in the middle runs as an opaque stage, bit for bit', () => {
    const c: Case = { name: 'opaque', net: sequential(dense(5, 8), relu, scaleLayer, dense(8, 3)), optimizer: adam(0.01) as GradientTransformation<unknown> };
    expect(isCompiled(c)).toBe(true);
    expectSame(c);
  });

  it('a custom layer that calls predict or fit inside fit leaves the program\'s arena alone (they take the generic path there)', () => {
    // a frozen feature extractor: y = tanh(x·W + b) with fixed parameters, by predict or by forward
    const inner = sequential(dense(8, 8), tanh);
    const ip = inner.init(key(21));
    const frozen = (byPredict: boolean) =>
      defineLayer<8, 8, readonly []>({
        kind: 'frozen',
        inputDim: 8,
        outputDim: 8,
        init: () => Object.freeze([] as const),
        forward: (_p, xx) => (byPredict ? predict(inner, ip, xx) : inner.forward(ip, xx)),
        vjp: (_p, xx, ctx) => {
          const [y, pb] = inner.vjp(ip, xx, ctx);
          // a nested fit whose result is not used: it must not disturb the running program either
          if (byPredict) fit(inner, ip, { x: xx, y: ops.scale(y, 0.5) }, { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 4, key: key(22) });
          return [byPredict ? predict(inner, ip, xx) : y, (dy) => [Object.freeze([] as const), pb(dy)[1]]];
        },
        jvp: () => {
          throw new Error('not used');
        },
      });
    const train = (byPredict: boolean) =>
      run({ name: 'frozen', net: sequential(dense(5, 8), relu, frozen(byPredict), dense(8, 3)), optimizer: adam(0.01) as GradientTransformation<unknown> }, false);
    expect(Params.flatten(train(true).params)).toEqual(Params.flatten(train(false).params));
  });

  it('a whole model without a lowered form compiles to one opaque stage, bit for bit', () => {
    const net = sequential(dense(5, 8), relu, dense(8, 3));
    const copy = { ...net } as AnyLayer;
    expectSame({ name: 'copy', net: copy });
  });

  it('runs the scalar GEMM path with the same numbers', () => {
    setScalarOnly(true);
    try {
      expectSame({ name: 'scalar', net: sequential(dense(5, 32), relu, dropout(0.2), dense(32, 16), tanh, dense(16, 3)), batchSize: 32 });
    } finally {
      setScalarOnly(false);
    }
  });
});

afterAll(() => setScalarOnly(false));

const net = sequential(dense(5, 16), relu, dense(16, 8), tanh, dense(8, 3));

describe('the compiled program equals the generic step, loss by loss', () => {
  it.each([
    ['mse', mse, y],
    ['mae', mae, y],
    ['huberWith(0.5)', huberWith(0.5), y],
    ['binaryCrossEntropy', binaryCrossEntropy, binary],
    ['softmaxCrossEntropy', softmaxCrossEntropy, onehot],
    ['softmaxCrossEntropy.classes(3)', softmaxCrossEntropy.classes(3) as Loss<number>, onehot],
  ] as const)('bit for bit: %s', (_name, loss, targets) => {
    expectSame({ name: _name, net, loss, targets });
  });

  it('a user loss named "mse" trains with its own math (here: none, so nothing moves)', () => {
    const zero = defineLoss('mse', (_yhat, _y, grad) => {
      if (grad !== null) grad.fill(0);
      return 0;
    });
    const p0 = net.init(key(5));
    const r = fit(net, p0, { x, y }, { loss: zero, optimizer: sgd(0.1), epochs: 3, batchSize: 16, key: key(9) });
    expect(Params.flatten(r.params)).toEqual(Params.flatten(p0));
    expect(r.history.trainLoss).toEqual([0, 0, 0]);
    expect(isCompiled({ name: 'zero', net, loss: zero })).toBe(true);
  });
});

const optimizers: readonly (readonly [string, GradientTransformation<unknown>])[] = ([
  ['sgd', sgd(0.05)],
  ['sgd with inverseTime', sgd(inverseTime(0.1))],
  ['momentum', momentum(0.02, 0.9)],
  ['nesterov', momentum(0.02, 0.8, { nesterov: true })],
  ['adam', adam(0.01)],
  ['adam with cosineDecay', adam(cosineDecay(0.01, 10))],
  ['adamw', adamw(1e-2, { weightDecay: 1e-2 })],
  ['rmsprop', rmsprop(1e-2)],
  ['adagrad', adagrad(0.05)],
  ['clipByGlobalNorm then sgd', chain(clipByGlobalNorm(0.1), sgd(0.1))],
  ['weightDecay without biases then momentum', chain(weightDecay(1e-2, excludeBiases), momentum(0.02))],
  ['sgd then proximalL1 on layer 0', chain(sgd(0.05), proximalL1(1e-3, onlyLayers(0)))],
  ['adam moments, addDecayedWeights, scaleUpdates', chain(scaleByAdam(), addDecayedWeights(1e-3, excludeBiases), scaleUpdates(-0.01))],
  ['a chain of chains', chain(clipByGlobalNorm(1), chain(scaleByAdam(), scaleByLearningRate(1e-2)))],
] as readonly (readonly [string, object])[]).map(([name, o]) => [name, o as GradientTransformation<unknown>] as const);

describe('the compiled program equals the generic step, optimizer by optimizer', () => {
  it.each(optimizers)('bit for bit, parameters, state and history: %s', (_name, optimizer) => {
    const c: Case = { name: _name, net, optimizer };
    expect(isCompiled(c)).toBe(true);
    expectSame(c);
  });

  it('fit runs the compiled program: it follows the lowered form a value carries (here deliberately not its update)', () => {
    const fast = sgd(0.1);
    const odd = withInPlaceUpdate({ init: fast.init, update: sgd(0.05).update }, inPlaceUpdateOf(fast)!);
    const p0 = net.init(key(5));
    const opts = { loss: mse, epochs: 2, batchSize: 16, key: key(9) } as const;
    const viaProgram = fit(net, p0, { x, y }, { ...opts, optimizer: odd as GradientTransformation<unknown> });
    const generic = fit(net, p0, { x, y }, { ...opts, optimizer: hidden(sgd(0.1)) as GradientTransformation<unknown> });
    expect(Params.flatten(viaProgram.params)).toEqual(Params.flatten(generic.params));
  });

  it.each([1e75, 3e76, 1e150])('an Adam step whose ‖g‖² is huge or not finite is checked in makeStep\'s order (one row scaled by %s)', (big) => {
    // g ~ big² on the first layer: ‖g‖² ≥ 1e300 but finite (1e75, 3e76: training goes on), or
    // overflowing (1e150: refused); the program's fused ‖g‖² sends such a step back to makeStep's
    // check, on a recomputed gradient
    const net = sequential(dense(5, 16), relu, dense(16, 3));
    const xs = Float64Array.from(x.data);
    for (let j = 0; j < 5; j++) xs[40 * 5 + j] = big * (j + 1);
    const data = { x: unsafeMat(n, 5, xs), y };
    for (const optimizer of [adam(0.01), adamw(0.01, { weightDecay: 1e-2 })] as GradientTransformation<unknown>[]) {
      const opts = { loss: mse, epochs: 2, batchSize: 16, key: key(9) } as const;
      const fast = fit(net, net.init(key(5)), data, { ...opts, optimizer });
      const slow = fit(net, net.init(key(5)), data, { ...opts, optimizer: hidden(optimizer) });
      expect(Params.flatten(fast.params)).toEqual(Params.flatten(slow.params));
      expect({ ...fast.history }).toEqual({ ...slow.history });
      expect(fast.stopReason).toEqual(slow.stopReason);
      expect(fast.stopReason._tag).toBe(big > 1e100 ? 'Diverged' : 'EpochsDone');
    }
  });

  it('a transformation the caller wrote (no in-place form) makes fit fold the generic step', () => {
    const mine: GradientTransformation<null> = { init: () => null, update: (g, s) => [Params.scale(g, -0.05), s] };
    expect(isCompiled({ name: 'mine', net, optimizer: mine as GradientTransformation<unknown> })).toBe(false);
    const r = fit(net, net.init(key(5)), { x, y }, { loss: mse, optimizer: mine, epochs: 2, batchSize: 16, key: key(9) });
    const s = fit(net, net.init(key(5)), { x, y }, { loss: mse, optimizer: sgd(0.05), epochs: 2, batchSize: 16, key: key(9) });
    expect(Params.flatten(r.params)).toEqual(Params.flatten(s.params));
  });
});

describe('the compiled program equals the generic step, penalty by penalty', () => {
  it.each([
    ['l2Penalty', l2Penalty(1e-2)],
    ['l2Penalty without biases', l2Penalty(1e-2, excludeBiases)],
    ['l1Penalty', l1Penalty(1e-3)],
    ['l1Penalty on layer 2', l1Penalty(1e-3, onlyLayers(2))],
  ] as const)('bit for bit: %s', (_name, penalty) => {
    const c: Case = { name: _name, net, penalty, optimizer: momentum(0.02) as GradientTransformation<unknown> };
    expect(isCompiled(c)).toBe(true);
    expectSame(c);
  });
});

describe('the compiled program equals the generic step through fit’s options', () => {
  it('validation split, early stopping and a metric (W6-like: dropout, adamw, huber)', () => {
    const w6 = sequential(dense(5, 16), relu, dropout(0.1), dense(16, 16), relu, dropout(0.1), dense(16, 3));
    expectSame({
      name: 'w6', net: w6, loss: huberWith(1), optimizer: adamw(1e-3, { weightDecay: 1e-4 }) as GradientTransformation<unknown>,
      extra: { validationSplit: 0.2, earlyStopping: { patience: 1 }, epochs: 6, metric: { name: 'sum', mode: 'min', compute: (a: { data: Float64Array }) => a.data.reduce((s, v) => s + v, 0) } },
    });
  });

  it('full batch, batch 1, a partial last batch and exactTrainLoss', () => {
    expectSame({ name: 'full', net, batchSize: 'full', extra: { exactTrainLoss: true } });
    expectSame({ name: 'online', net, batchSize: 1 });
    expectSame({ name: 'partial', net, batchSize: 13, extra: { exactTrainLoss: true } });
  });

  it.each([
    ['sgd', sgd(1e6)],
    ['momentum (a chain with a stateful part before the rate)', momentum(1e6, 0.9)],
    ['weightDecay(1e6) then sgd', chain(weightDecay(1e6), sgd(1))],
  ] as const)('a diverging run stops at the same update with the same message on both paths: %s', (_name, optimizer) => {
    const c: Case = { name: 'diverge', net: sequential(dense(5, 16), relu, dense(16, 3)), optimizer: optimizer as GradientTransformation<unknown>, extra: { epochs: 50 } };
    const fast = run(c, false);
    expect(fast.stopReason._tag).toBe('Diverged');
    expectSame(c);
  });

  it('resuming from an epoch’s state continues exactly as the whole run', () => {
    const opts = { loss: mse, optimizer: adam(0.01), epochs: 4, batchSize: 16, key: key(9) } as const;
    const p0 = net.init(key(5));
    const states = [...fitEpochs(net, p0, { x, y }, opts)];
    const resumed = fit(net, p0, { x, y }, { ...opts, resume: states[1]! });
    expect(Params.flatten(resumed.params)).toEqual(Params.flatten(states[3]!.params));
    expect({ ...resumed.history }).toEqual({ ...states[3]!.history });
  });

  it('two lazy runs advanced in turns (sharing the arena) give what each gives alone', () => {
    const a = { loss: mse, optimizer: adam(0.01), epochs: 3, batchSize: 16, key: key(9) } as const;
    const b = { loss: huberWith(1), optimizer: momentum(0.05), epochs: 3, batchSize: 7, key: key(4) } as const;
    const netB = sequential(dense(5, 32), relu, dropout(0.2), dense(32, 3));
    const itA = fitEpochs(net, net.init(key(5)), { x, y }, a)[Symbol.iterator]();
    const itB = fitEpochs(netB, netB.init(key(6)), { x, y }, b)[Symbol.iterator]();
    let lastA = itA.next();
    let lastB = itB.next();
    for (let e = 1; e < 3; e++) {
      lastA = itA.next();
      lastB = itB.next();
    }
    const aloneA = fit(net, net.init(key(5)), { x, y }, a);
    const aloneB = fit(netB, netB.init(key(6)), { x, y }, b);
    expect(Params.flatten(lastA.value!.params)).toEqual(Params.flatten(aloneA.params));
    expect(Params.flatten(lastB.value!.params)).toEqual(Params.flatten(aloneB.params));
  });

  it('earlier states keep their own history while the run appends', () => {
    const states = [...fitEpochs(net, net.init(key(5)), { x, y }, { loss: mse, optimizer: sgd(0.05), epochs: 3, batchSize: 16, key: key(9) })];
    expect(states.map((s) => s.history.trainLoss.length)).toEqual([1, 2, 3]);
    expect(states[0]!.history.trainLoss[0]).toBe(states[2]!.history.trainLoss[0]);
  });
});
