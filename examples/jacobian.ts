/**
 * The Jacobian of a composed function, built both ways as in the lecture on training multilayer
 * perceptrons, on its 4-8-6-4-2 network f = f₄ ∘ f₃ ∘ f₂ ∘ f₁.
 *
 * By the chain rule J = J₄ J₃ J₂ J₁, with J_k = ∂f_k/∂x at the point the k-th layer sees.
 * - Forward mode builds J one COLUMN at a time, multiplying right to left:
 *        J e_j = J₄ (J₃ (J₂ (J₁ e_j))), i.e. one JVP per input direction e_j (I = 4 of them).
 * - Reverse mode builds J one ROW at a time, multiplying left to right:
 *        e_iᵀ J = (((e_iᵀ J₄) J₃) J₂) J₁, i.e. one VJP per output e_i (O = 2 of them).
 * Reverse mode wins when there are fewer outputs than inputs (as for a loss: one output), forward
 * mode when there are fewer inputs; `jacobian(…, { mode: 'auto' })` picks by comparing I and O.
 *
 * Writes both Jacobians as heatmaps side by side to `out/jacobian.svg`.
 *
 * Run: `npm run example:jacobian`
 *
 * @module
 */
import { autoMode, dense, eye, fromRows, jacobian, jacobianSvg, key, matmul, numericalJacobian, row, sequential, summary, tanh, toRows, transpose, type Mat } from '../src/index.js';
import { writeOut } from './_shared.js';

const show = (title: string, m: Mat<number, number>): void => {
  console.log(`${title}  (${m.rows}×${m.cols})`);
  toRows(m).forEach((r) => console.log('   ' + r.map((v) => v.toFixed(6).padStart(10)).join(' ')));
};
const maxAbsDiff = (a: Mat<number, number>, b: Mat<number, number>): number =>
  Array.from(a.data).reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const stack = <C extends number>(rows: readonly Mat<1, C>[]): Mat<number, C> =>
  fromRows(rows.map((r) => Array.from(r.data))) as unknown as Mat<number, C>;

// The network, as its four stages f_k (tanh after every dense layer but the last).
const f1 = sequential(dense(4, 8), tanh);
const f2 = sequential(dense(8, 6), tanh);
const f3 = sequential(dense(6, 4), tanh);
const f4 = dense(4, 2);
const net = sequential(f1, f2, f3, f4);
console.log(summary(net) + '\n');
const [p1, p2, p3, p4] = net.init(key(2024));
const params = [p1, p2, p3, p4] as const;

// The point, and what each layer sees: x₁ = f₁(x₀), x₂ = f₂(x₁), …
const x0 = fromRows([[0.5, -1.2, 0.3, 2.0]]);
const x1 = f1.forward(p1, x0);
const x2 = f2.forward(p2, x1);
const x3 = f3.forward(p3, x2);
console.log(`f(x₀) = [${Array.from(net.forward(params, x0).data, (v) => v.toFixed(6)).join(', ')}]\n`);

// The layer Jacobians J_k (each computed by the library at that layer's input).
const J1 = jacobian(f1, p1, x0); // 8×4
const J2 = jacobian(f2, p2, x1); // 6×8
const J3 = jacobian(f3, p3, x2); // 4×6
const J4 = jacobian(f4, p4, x3); // 2×4
console.log(`layer Jacobians: J₁ ${J1.rows}×${J1.cols}, J₂ ${J2.rows}×${J2.cols}, J₃ ${J3.rows}×${J3.cols}, J₄ ${J4.rows}×${J4.cols}\n`);

// Forward mode: each column J e_j, pushed through the layers' JVPs from f₁ to f₄ (right to left
// in J₄ J₃ J₂ J₁). Each JVP returns [f_k(x), J_k·v]; the parameter tangent is zero.
console.log('forward mode: column j = J₄(J₃(J₂(J₁ e_j))), one JVP chain per input');
const columns = [0, 1, 2, 3].map((j) => {
  const ej = row(eye(4), j);
  const [, v1] = f1.jvp(p1, x0, f1.zerosLike(p1), ej);
  const [, v2] = f2.jvp(p2, x1, f2.zerosLike(p2), v1);
  const [, v3] = f3.jvp(p3, x2, f3.zerosLike(p3), v2);
  const [, v4] = f4.jvp(p4, x3, f4.zerosLike(p4), v3);
  console.log(`   J e_${j} = [${Array.from(v4.data, (v) => v.toFixed(6)).join(', ')}]`);
  return v4;
});
const Jforward = transpose(stack(columns)) as Mat<2, 4>;
show('   J (forward mode, columns side by side)', Jforward);

// Reverse mode: each row e_iᵀ J, pulled back through the layers' VJPs from f₄ to f₁ (left to
// right in J₄ J₃ J₂ J₁). Each pullback maps u_{k+1}ᵀ to [u_{k+1}ᵀ ∂f_k/∂θ_k, u_kᵀ = u_{k+1}ᵀ J_k].
console.log('\nreverse mode: row i = (((e_iᵀ J₄) J₃) J₂) J₁, one forward pass, one VJP chain per output');
const [, back1] = f1.vjp(p1, x0);
const [, back2] = f2.vjp(p2, x1);
const [, back3] = f3.vjp(p3, x2);
const [, back4] = f4.vjp(p4, x3);
const rows = [0, 1].map((i) => {
  const u4 = row(eye(2), i);
  const u3 = back4(u4)[1];
  const u2 = back3(u3)[1];
  const u1 = back2(u2)[1];
  const u0 = back1(u1)[1];
  console.log(`   e_${i}ᵀ J = [${Array.from(u0.data, (v) => v.toFixed(6)).join(', ')}]`);
  return u0;
});
const Jreverse = stack(rows) as Mat<2, 4>;
show('   J (reverse mode, rows stacked)', Jreverse);

// The same product multiplied out, and the library's batched versions (all I columns in ONE jvp on
// a batch of I copies of x₀ with the identity as tangents; all O rows in ONE pullback of Id_O).
const product = matmul(J4, matmul(J3, matmul(J2, J1)));
const batchedForward = jacobian(net, params, x0, { mode: 'forward' });
const batchedReverse = jacobian(net, params, x0, { mode: 'reverse' });
const numeric = numericalJacobian(net, params, x0);
console.log('\nmax |difference|:');
console.log(`   forward vs reverse                    ${maxAbsDiff(Jforward, Jreverse).toExponential(2)}`);
console.log(`   forward vs J₄·J₃·J₂·J₁ multiplied out  ${maxAbsDiff(Jforward, product).toExponential(2)}`);
console.log(`   batched jacobian, 'forward' mode       ${maxAbsDiff(Jforward, batchedForward).toExponential(2)}`);
console.log(`   batched jacobian, 'reverse' mode       ${maxAbsDiff(Jforward, batchedReverse).toExponential(2)}`);
console.log(`   finite differences                    ${maxAbsDiff(Jforward, numeric).toExponential(2)}`);
console.log(`\n'auto' uses ${autoMode(4, 2)} mode here: 2 outputs need 2 VJPs, 4 inputs would need 4 JVPs.`);

// Both Jacobians as heatmaps, side by side on one colour scale: the same picture, built two ways.
const heatmaps = jacobianSvg(
  [
    { matrix: Jforward, title: '(13) forward mode: 4 JVPs (columns)' },
    { matrix: Jreverse, title: '(14) reverse mode: 2 VJPs (rows)' },
  ],
  { title: 'J = ∂f/∂x at x₀ of the 4-8-6-4-2 net', yLabel: 'output i of f', xLabel: 'input j of x₀' },
);
console.log(`heatmaps: ${writeOut('jacobian.svg', heatmaps)}`);
