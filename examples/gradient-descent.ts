/**
 * Batch, online and mini-batch gradient descent on the same regression problem, each with the step
 * size ρ_r = 1/r of the lecture on training multilayer perceptrons (r = the update number), printing the training loss and the
 * number of updates of every epoch: batch learning makes 1 update per epoch, online learning N,
 * mini-batch ⌈N/B⌉.
 *
 * Run: npm run example:gradient-descent
 */
import { dense, fit, fromArray, inverseTime, key, mse, sgd, uniform, normal, type BatchSize } from '../src/index.js';

// y = 2·x₁ − x₂ + 0.5·x₃ + 0.3 + noise, inputs uniform in [−1, 1]³.
const n = 200;
const xs = uniform(key(1), n * 3, -1, 1);
const noise = normal(key(2), n, 0.05);
const x = fromArray(n, 3, xs);
const y = fromArray(n, 1, Array.from({ length: n }, (_, i) => 2 * xs[3 * i]! - xs[3 * i + 1]! + 0.5 * xs[3 * i + 2]! + 0.3 + noise[i]!));

const model = dense(3, 1);
const p0 = model.init(key(3));
const epochs = 15;

const runs: readonly (readonly [string, BatchSize])[] = [['batch (full)', 'full'], ['online (B = 1)', 1], ['mini-batch (B = 16)', 16]];
const results = runs.map(([name, batchSize]) => {
  const r = fit(model, p0, { x, y }, { loss: mse, optimizer: sgd(inverseTime(1)), epochs, batchSize, key: key(4) });
  return { name, history: r.history, stop: r.stopReason._tag };
});

console.log(`Linear regression, N = ${n}, loss = (1/N)Σ½(y − ŷ)², step size ρ_r = 1/r\n`);
console.log(['epoch', ...results.map((r) => r.name.padStart(22))].join(' '));
for (let e = 0; e < epochs; e++) {
  console.log([String(e + 1).padStart(5), ...results.map((r) => r.history.trainLoss[e]!.toFixed(6).padStart(22))].join(' '));
}
console.log(['updates/epoch', ...results.map((r) => String(r.history.updates[0]).padStart(14))].join(' '));
console.log(`\nNoise floor ≈ ½·0.05² = ${(0.5 * 0.05 ** 2).toFixed(6)}. With ρ_r = 1/r, batch learning takes one small step per`);
console.log('epoch and decays slowly; online learning makes N steps per epoch, each on one noisy row;');
console.log('mini-batches average B gradients per step, in between.');
