/**
 * Backprop by hand on the single-hidden-layer network of the lecture on training multilayer
 * perceptrons, checked against `valueAndGrad`.
 *
 *   L = ½‖y − W₂ φ(W₁ x)‖²      (here with φ = tanh and one example x ∈ ℝ³, y ∈ ℝ²)
 *
 * foldnet stores examples as ROWS and dense weights as [in, out] (y = x·W + b), so the lecture's
 * column-vector W₁x is the row-vector x·W₁ here, and every derivative below is its transpose:
 *   x₁ = x,  x₂ = x₁ W₁,  x₃ = φ(x₂),  x₄ = x₃ W₂,  L = ½‖x₄ − y‖²
 *   u₄ = ∂L/∂x₄ = x₄ − y                        (the loss's VJP seed)
 *   ∂L/∂W₂ = x₃ᵀ u₄                             (∂x₄/∂W₂ = x₃ᵀ; [in, out] layout gives xᵀ·u)
 *   u₃ = u₄ W₂ᵀ                                 (∂x₄/∂x₃ = W₂)
 *   u₂ = u₃ ⊙ φ'(x₂) = u₃ ⊙ (1 − x₃²)           (∂x₃/∂x₂ = diag φ'(x₂))
 *   ∂L/∂W₁ = x₁ᵀ u₂
 *   u₁ = u₂ W₁ᵀ                                 (∂L/∂x, if we wanted it)
 * The biases are zero, as in the lecture's formula; their gradients are ∂L/∂b₂ = u₄, ∂L/∂b₁ = u₂.
 *
 * Run: `npm run example:single-hidden-layer`
 *
 * @module
 */
import {
  dense, denseParams, fromRows, gradCheck, key, matmul, matmulTransA, matmulTransB, mse, ops, sequential, tanh,
  toRows, valueAndGrad, vec, type Mat,
} from '../src/index.js';

/** A matrix after a label, rows aligned under the first. */
const labelled = (label: string, m: Mat<number, number>): string =>
  toRows(m).map((r, i) => `${(i === 0 ? label : '').padEnd(18)}[${r.map((v) => v.toFixed(6).padStart(10)).join(', ')}]`).join('\n');
const maxAbsDiff = (a: Mat<number, number>, b: Mat<number, number>): number =>
  Array.from(a.data).reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

const net = sequential(dense(3, 4), tanh, dense(4, 2));
const [init1, , init2] = net.init(key(7));
// Zero biases: the net is then exactly x ↦ W₂ φ(W₁ x) (in row form, φ(x W₁) W₂).
const W1 = init1.w;
const W2 = init2.w;
const params = [denseParams(W1, vec([0, 0, 0, 0])), {}, denseParams(W2, vec([0, 0]))] as const;

const x1 = fromRows([[0.8, -0.4, 1.5]]);
const y = fromRows([[0.25, -0.5]]);

// Forward pass, keeping what the backward pass needs.
const x2 = matmul(x1, W1);
const x3 = ops.map(x2, Math.tanh);
const x4 = matmul(x3, W2);
const L = 0.5 * Array.from(ops.sub(x4, y).data).reduce((s, d) => s + d * d, 0);

// Backward pass, by hand.
const u4 = ops.sub(x4, y);
const dW2 = matmulTransA(x3, u4);
const u3 = matmulTransB(u4, W2);
const u2 = ops.zipWith(u3, x3, (u, t) => u * (1 - t * t));
const dW1 = matmulTransA(x1, u2);

// The library: one vjp through the composite, seeded by mse's gradient (with B = 1, exactly u₄).
const [value, grads] = valueAndGrad(net, mse)(params, x1, y);

console.log(`L by hand       = ${L.toFixed(12)}`);
console.log(`L valueAndGrad  = ${value.toFixed(12)}\n`);
console.log(labelled('∂L/∂W₂ = x₃ᵀu₄', dW2));
console.log(labelled('valueAndGrad', grads[2].w) + '\n');
console.log(labelled('∂L/∂W₁ = x₁ᵀu₂', dW1));
console.log(labelled('valueAndGrad', grads[0].w) + '\n');
console.log('max |hand − valueAndGrad|:');
console.log(`   L        ${Math.abs(L - value).toExponential(2)}`);
console.log(`   ∂L/∂W₂   ${maxAbsDiff(dW2, grads[2].w).toExponential(2)}`);
console.log(`   ∂L/∂b₂   ${maxAbsDiff(u4, fromRows([Array.from(grads[2].b.data)])).toExponential(2)}   (= u₄)`);
console.log(`   ∂L/∂W₁   ${maxAbsDiff(dW1, grads[0].w).toExponential(2)}`);
console.log(`   ∂L/∂b₁   ${maxAbsDiff(u2, fromRows([Array.from(grads[0].b.data)])).toExponential(2)}   (= u₂)`);

// And both against finite differences, over every weight, bias and input entry.
const check = gradCheck(net, mse, params, x1, y);
console.log(`\ngradCheck: max relative error ${check.maxRelativeError.toExponential(2)} over ${check.checked} entries (${check.ok ? 'ok' : 'FAILED'})`);
