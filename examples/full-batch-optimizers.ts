/**
 * Full-batch optimizers that the lecture on training multilayer perceptrons names as faster
 * alternatives to gradient descent: nonlinear
 * conjugate gradient (Polak–Ribière+) and L-BFGS, both with a strong-Wolfe line search, against
 * plain batch gradient descent, on one small regression net. Prints the loss after a given number
 * of iterations (one iteration = one update = one epoch for batch GD), the objective evaluations
 * spent, and why CG / L-BFGS stopped.
 *
 * Run: npm run example:full-batch-optimizers
 */
import { conjugateGradient, dense, fit, fromArray, key, lbfgs, mse, objective, sequential, sgd, tanh } from '../src/index.js';

const n = 60;
const x = fromArray(n, 1, Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1)));
const y = fromArray(n, 1, Array.from(x.data, (v) => Math.sin(2 * v) + 0.3 * v));
const net = sequential(dense(1, 10), tanh, dense(10, 1));
const p0 = net.init(key(3));

const iterations = 500;
const gd = fit(net, p0, { x, y }, { loss: mse, optimizer: sgd(0.2), epochs: iterations, batchSize: 'full', key: key(0) });
const f = objective(net, mse, { x, y });
const cg = conjugateGradient(f, p0, { maxIterations: iterations, gradTol: 1e-7 });
const lb = lbfgs(f, p0, { maxIterations: iterations, gradTol: 1e-7 });

const at = (losses: readonly number[], k: number): string => (k < losses.length ? losses[k]! : losses[losses.length - 1]!).toExponential(3);
const gdLosses = [mse.value(net.forward(p0, x), y), ...gd.history.trainLoss];
console.log(`Net 1-10-1 tanh, N = ${n}, full-batch loss (1/N)Σ½(y − ŷ)²\n`);
console.log('iteration   gradient descent (ρ = 0.2)   conjugate gradient         L-BFGS');
for (const k of [0, 5, 10, 25, 50, 100, 200, 500]) {
  console.log(`${String(k).padStart(9)}   ${at(gdLosses, k).padStart(26)}   ${at(cg.losses, k).padStart(18)}   ${at(lb.losses, k).padStart(12)}`);
}
console.log(`\nconjugate gradient: ${cg.iterations} iterations, ${cg.evaluations} evaluations, stopped on ${cg.stopReason}, ‖∇‖ = ${cg.gradNorm.toExponential(2)}`);
console.log(`L-BFGS:             ${lb.iterations} iterations, ${lb.evaluations} evaluations, stopped on ${lb.stopReason}, ‖∇‖ = ${lb.gradNorm.toExponential(2)}`);
console.log(`gradient descent:   ${iterations} iterations (= evaluations), final loss ${gd.history.trainLoss[iterations - 1]!.toExponential(3)}`);
