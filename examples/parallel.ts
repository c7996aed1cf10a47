/**
 * Training on every core: `fitParallel` computes each batch's gradient in fixed shards on worker
 * threads, sums the shards in a fixed order and applies one update, so its parameters are the
 * same bit for bit whatever the number of threads.
 *
 * 1. make a 4-class problem of 20 000 rows × 32 features (a random teacher net labels them);
 * 2. train `dense(32, 128) → relu → dense(128, 128) → relu → dense(128, 4)` with Adam on batches of
 *    512 rows with plain `fit` (which also warms up the calling thread's code), then with
 *    `fitParallel` and `workers: 1` (the calling thread alone) and `workers: 2` (the caller and one
 *    worker thread), timing epochs 3…6 as the lazy form yields them (a new thread's code, its
 *    WebAssembly included, is still being optimised during its first epochs);
 * 3. check that both parallel runs ended with the same parameters, bit for bit, and print their
 *    seconds per epoch (the ratio depends on free cores: on a loaded machine a second thread that
 *    waits for a core stalls every step);
 * 4. print how far plain `fit`'s parameters are (rounding only: the shards change how a batch's
 *    sums are associated).
 *
 * Run: `npm run example:parallel` (or `npx tsx examples/parallel.ts`).
 * Published code imports the same names from 'foldnet' and 'foldnet/node'.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import {
  adam, argmaxRows, dense, fit, fromArray, key, normal, params as Params, relu, sequential, softmaxCrossEntropy,
} from '../src/index.js';
import { fitParallelEpochs, liveWorkers } from '../src/node.js';

const ROWS = 20_000;
const x = fromArray(ROWS, 32, normal(key(1), ROWS * 32));
const teacher = sequential(dense(32, 16), relu, dense(16, 4));
const labels = argmaxRows(teacher.forward(teacher.init(key(2)), x));
const y = fromArray(ROWS, 4, Array.from({ length: ROWS * 4 }, (_, i) => (labels[Math.floor(i / 4)] === i % 4 ? 1 : 0)));

const net = sequential(dense(32, 128), relu, dense(128, 128), relu, dense(128, 4));
const p0 = net.init(key(3));
const options = { loss: softmaxCrossEntropy, optimizer: adam(1e-3), epochs: 6, batchSize: 512, key: key(4) } as const;

/** One run; the seconds per epoch over epochs 3…6 (the first also starts the threads). */
const train = async (workers: number): Promise<{ readonly params: typeof p0; readonly epochSeconds: number }> => {
  const stamps: number[] = [];
  let params = p0;
  for await (const s of fitParallelEpochs(net, p0, { x, y }, { ...options, workers })) {
    stamps.push(performance.now());
    params = s.params;
    console.log(`  workers: ${workers}, epoch ${s.epoch}: train loss ${s.history.trainLoss[s.epoch - 1]!.toFixed(4)}`);
  }
  return { params, epochSeconds: (stamps[stamps.length - 1]! - stamps[1]!) / 1e3 / (stamps.length - 2) };
};

console.log(`${availableParallelism()} cores available`);
const plain = Params.flatten(fit(net, p0, { x, y }, options).params);
const one = await train(1);
const two = await train(2);
const a = Params.flatten(one.params);
const b = Params.flatten(two.params);
console.log(`workers: 2 gives the parameters of workers: 1 bit for bit: ${a.every((v, i) => Object.is(v, b[i]))}`);
console.log(`seconds per epoch: ${one.epochSeconds.toFixed(3)} (1 thread), ${two.epochSeconds.toFixed(3)} (2 threads): ${(one.epochSeconds / two.epochSeconds).toFixed(2)}×`);
console.log(`worker threads still running: ${liveWorkers()}`);
const scale = plain.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const diff = plain.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]!)), 0);
console.log(`against plain fit: max |Δθ| / max |θ| = ${(diff / scale).toExponential(1)} (the shards only change how the batch's sums are rounded)`);
