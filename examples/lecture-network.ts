/**
 * The network of the lecture on training multilayer perceptrons, 4 → 8 → 6 → 4 → 2, written as the
 * lecture writes it: a composition
 * f4 ∘ f3 ∘ f2 ∘ f1 of dense layers (with relu between), checked by the compiler. Shows its type,
 * one forward pass, and one backward pass: the seed u = ∂L/∂y (here from L = mse against a
 * target) pulled back through every layer, giving ∂L/∂θ_k for each layer and ∂L/∂x. Prints the
 * net's `summary` and draws its computational graph, forward and backward, to
 * `out/lecture-network.svg`.
 *
 * Run: `npm run example:lecture-network`
 */
import { compose, dense, fromRows, graphSvg, key, mse, params, relu, shapeOf, summary, toRows, type Mat } from '../src/index.js';
import { writeOut } from './_shared.js';

// f_k: ℝ^{n_k} → ℝ^{n_{k+1}}, y = x·W + b; widths 4 → 8 → 6 → 4 → 2.
const f1 = dense(4, 8);
const f2 = dense(8, 6);
const f3 = dense(6, 4);
const f4 = dense(4, 2);

// Right to left, as in mathematics: f1 is applied first.
// Hover `net`: Layer<4, 2, readonly [DenseParams<4, 2>, NoParams, DenseParams<6, 4>, NoParams, DenseParams<8, 6>, NoParams, DenseParams<4, 8>]>
const net = compose(f4, relu, f3, relu, f2, relu, f1);

// Had f2 been `dense(8, 5)`, the line above would not compile; the compiler underlines `f3`:
//
//   const net = compose(f4, relu, f3, relu, f2, relu, f1);
//                                 ~~
//   error: Argument of type 'Layer<6, 4, DenseParams<6, 4>>' is not assignable to parameter of type
//          'ShapeError<"compose: layer #3 expects input dim 6, but layer #5 (applied before it) outputs 5">'.
//
// (types-tests/messages/nodenext/compose-mismatch.ts checks this exact text on TypeScript 6 and 7.)

const fmt = (v: number): string => (v >= 0 ? ' ' : '') + v.toFixed(4);
const show = (name: string, m: Mat<number, number>, maxRows = 3): void => {
  console.log(`${name}  (${shapeOf(m)})`);
  for (const r of toRows(m).slice(0, maxRows)) console.log(`  [${r.map(fmt).join(' ')}]`);
  if (m.rows > maxRows) console.log(`  … ${m.rows - maxRows} more rows`);
};

// The layers in the order they run (f1 first), their widths and parameter counts; the graph as the
// lecture draws it: x₁ → f₁ → x₂ → … → f₄ → o, and the backward pass u_k = ∂L/∂x_k right to left.
console.log(summary(net));
const graph = writeOut('lecture-network.svg', graphSvg(net, { backward: true, title: 'f = f₄ ∘ f₃ ∘ f₂ ∘ f₁: 4 → 8 → 6 → 4 → 2' }));
console.log(`computational graph: ${graph}\n`);

// Parameters: a tuple in argument order, [θ4, {}, θ3, {}, θ2, {}, θ1]; Glorot-initialised from a key.
const theta = net.init(key(3));
console.log(`net: ${net.inputDim} → ${net.outputDim}, ${params.size(theta)} parameters`);
for (const { path, tensor } of params.leaves(theta)) console.log(`  θ.${path.padEnd(4)} ${shapeOf(tensor).padStart(4)}`);

// A batch of three examples (rows) with four features each, and targets.
const x = fromRows([
  [5.1, 3.5, 1.4, 0.2],
  [6.2, 2.9, 4.3, 1.3],
  [7.7, 3.0, 6.1, 2.3],
]);
const target = fromRows([
  [1, 0],
  [0, 1],
  [0, 1],
]);

// Forward pass: y = f4(relu(f3(relu(f2(relu(f1(x))))))).
console.log('\nforward');
show('x', x);
const y = net.forward(theta, x); // Mat<3, 2>
show('y = net(x)', y);

// Backward pass: vjp runs the forward once and keeps each layer's pullback; the seed
// u = ∂L/∂y is then pulled back layer by layer (u_kᵀ = u_{k+1}ᵀ ∂f_k/∂x_k, ∂L/∂θ_k = u_{k+1}ᵀ ∂f_k/∂θ_k).
console.log('\nbackward');
const [loss, seed] = mse.valueAndGrad(y, target);
console.log(`L = mse(y, target) = ${loss.toFixed(6)}`);
show('seed u = ∂L/∂y', seed);
const [yAgain, pullback] = net.vjp(theta, x);
const [grads, dx] = pullback(seed);
console.log(`(vjp's forward output equals forward: ${toRows(yAgain).flat().every((v, i) => v === y.data[i])})`);
const names = ['f4', 'relu', 'f3', 'relu', 'f2', 'relu', 'f1'];
for (const { path, tensor } of params.leaves(grads)) {
  const [slot, field] = path.split('.');
  const layer = names[Number(slot)]!;
  const norm = Math.sqrt(tensor.data.reduce((s, v) => s + v * v, 0));
  console.log(`  ∂L/∂${field}(${layer})  ${shapeOf(tensor).padStart(4)}  ‖·‖ = ${norm.toFixed(6)}  first: ${Array.from(tensor.data.slice(0, 3)).map(fmt).join(' ')}`);
}
show('∂L/∂x', dx);
