/**
 * Benchmark (not a test): the cost of a Jacobian in forward mode (I JVP columns, one batched jvp)
 * versus reverse mode (O VJP rows, one forward and one batched pullback), on a wide-input net
 * (256 → 2) and a wide-output net (2 → 256), and which mode `'auto'` picks for each.
 *
 * Run: `npm run bench:jacobian` (prints median times over repeated runs and the ratios).
 *
 * @module
 */
import { autoMode, dense, fromArray, jacobian, key, sequential, split, tanh, uniform, type JacobianMode, type Layer, type Mat } from '../src/index.js';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Median wall time (ms) of each function, timed in interleaved rounds so GC and JIT state hit all alike. */
const timeAll = (fs: readonly (() => unknown)[], rounds: number, warmup = 5): number[] => {
  fs.forEach((f) => Array.from({ length: warmup }, f));
  const samples = fs.map(() => [] as number[]);
  Array.from({ length: rounds }, () =>
    fs.forEach((f, i) => {
      const t0 = performance.now();
      f();
      samples[i]!.push(performance.now() - t0);
    }));
  return samples.map(median);
};

const run = <I extends number, O extends number, P>(name: string, net: Layer<I, O, P>, seed: number): void => {
  const [kp, kx] = split(key(seed));
  const p = net.init(kp);
  const x = fromArray(1, net.inputDim, uniform(kx, net.inputDim, -1, 1)) as Mat<1, I>;
  const modes: readonly JacobianMode[] = ['forward', 'reverse', 'auto'];
  const [fwd, rev, auto] = timeAll(modes.map((mode) => () => jacobian(net, p, x, { mode })), 200) as [number, number, number];
  const picked = autoMode(net.inputDim, net.outputDim);
  const [cheaper, factor] = fwd < rev ? ['forward', rev / fwd] : ['reverse', fwd / rev];
  console.log(
    `${name.padEnd(22)} forward ${fwd.toFixed(3).padStart(7)} ms  reverse ${rev.toFixed(3).padStart(7)} ms  ` +
    `${cheaper} is ${factor.toFixed(1).padStart(5)}× cheaper  auto → ${picked.padEnd(7)} ${auto.toFixed(3).padStart(7)} ms  ` +
    `${picked === cheaper ? 'ok' : factor < 1.2 ? 'ok (a tie within noise)' : 'WRONG CHOICE'}`,
  );
};

console.log('Jacobian of a single input row, median of 200 runs:');
run('256 → 64 → 2 (tanh)', sequential(dense(256, 64), tanh, dense(64, 2)), 1);
run('2 → 64 → 256 (tanh)', sequential(dense(2, 64), tanh, dense(64, 256)), 2);
run('64 → 64 → 64 (tanh)', sequential(dense(64, 64), tanh, dense(64, 64)), 3);
