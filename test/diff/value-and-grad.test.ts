import { describe, expect, it } from 'vitest';
import {
  dense, fromArray, grad, gradCheck, key, matmul, matmulTransA, matmulTransB, mse, ops, params as Params,
  sequential, sigmoid, softmaxCrossEntropy, split, sumRows, tanh, uniform, valueAndGrad,
  type Mat, type PolyLayer, type NoParams,
} from '../../src/index.js';
import { expectClose } from '../support/closeness.js';

const close = (a: Float64Array, b: Float64Array, tol = 1e-13): void => expectClose(a, b, tol, 1);

/**
 * The lecture's single-hidden-layer net L = ½‖y − W₂ φ(W₁ x)‖², per row, averaged over the batch.
 * Our dense layers compute x·W + b with W: [in, out], so x₂ = x₁W₁ + b₁, x₃ = φ(x₂), x₄ = x₃W₂ + b₂.
 * Hand-derived VJPs (rows are examples; U_k stacks the rows u_kᵀ):
 *   U₄ = (x₄ − y)/B                     (the loss's seed, mean over the batch)
 *   ∂L/∂W₂ = x₃ᵀ U₄,  ∂L/∂b₂ = 1ᵀU₄      (∂x₄/∂W₂ = x₃ᵀ; our W is [in, out], hence xᵀ·u)
 *   U₃ = U₄ W₂ᵀ                          (∂x₄/∂x₃ = W₂)
 *   U₂ = U₃ ⊙ φ'(x₂)                     (∂x₃/∂x₂ = diag φ'(x₂))
 *   ∂L/∂W₁ = x₁ᵀ U₂,  ∂L/∂b₁ = 1ᵀU₂
 *   U₁ = U₂ W₁ᵀ                          (the gradient with respect to the input)
 */
describe.each([
  ['tanh', tanh, (z: number) => 1 - Math.tanh(z) ** 2],
  ['sigmoid', sigmoid, (z: number) => 1 / (1 + Math.exp(-z)) * (1 - 1 / (1 + Math.exp(-z)))],
] as [string, PolyLayer<NoParams>, (z: number) => number][])('single hidden layer with φ = %s', (_name, phi, dphi) => {
  const net = sequential(dense(4, 5), phi, dense(5, 2));
  const [kp, kx, ky] = split(key(21), 3);
  const p = net.init(kp);
  const x1 = fromArray(6, 4, uniform(kx, 24, -1, 1));
  const y = fromArray(6, 2, uniform(ky, 12, -1, 1));

  const [W1, b1, W2, b2] = [p[0].w, p[0].b, p[2].w, p[2].b];
  const x2 = ops.addRowVector(matmul(x1, W1), b1);
  const x3 = ops.map(x2, phi === tanh ? Math.tanh : (z) => 1 / (1 + Math.exp(-z)));
  const x4 = ops.addRowVector(matmul(x3, W2), b2);
  const U4 = ops.scale(ops.sub(x4, y), 1 / 6);
  const dW2 = matmulTransA(x3, U4);
  const db2 = sumRows(U4);
  const U3 = matmulTransB(U4, W2);
  const U2 = ops.zipWith(U3, x2, (u, z) => u * dphi(z));
  const dW1 = matmulTransA(x1, U2);
  const db1 = sumRows(U2);
  const U1 = matmulTransB(U2, W1);
  const L = Array.from(ops.sub(x4, y).data).reduce((s, d) => s + 0.5 * d * d, 0) / 6;

  it('valueAndGrad returns the hand-derived loss and parameter gradients', () => {
    const [value, g] = valueAndGrad(net, mse)(p, x1, y);
    expect(value).toBeCloseTo(L, 14);
    close(g[2].w.data, dW2.data);
    close(g[2].b.data, db2.data);
    close(g[0].w.data, dW1.data);
    close(g[0].b.data, db1.data);
    expect(Params.size(g[1])).toBe(0);
  });

  it('the pullback returns the hand-derived input gradient U₁ = U₂W₁ᵀ', () => {
    const [, pullback] = net.vjp(p, x1);
    close(pullback(U4)[1].data, U1.data);
  });

  it('grad is the second half of valueAndGrad, and the loss of the forward pass the first', () => {
    expect(Array.from(Params.flatten(grad(net, mse)(p, x1, y)))).toEqual(Array.from(Params.flatten(valueAndGrad(net, mse)(p, x1, y)[1])));
    expect(mse.value(net.forward(p, x1), y)).toBe(valueAndGrad(net, mse)(p, x1, y)[0]);
  });
});

describe('valueAndGrad with a fixed-width loss', () => {
  it('a 3-class softmax cross-entropy on a 3-output net matches finite differences', () => {
    const net = sequential(dense(4, 6), tanh, dense(6, 3));
    const p = net.init(key(2));
    const x = fromArray(4, 4, uniform(key(3), 16, -1, 1));
    const t = fromArray(4, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]) as Mat<4, 3>;
    const [v] = valueAndGrad(net, softmaxCrossEntropy.classes(3))(p, x, t);
    expect(v).toBeCloseTo(softmaxCrossEntropy.value(net.forward(p, x), t), 14);
    expect(gradCheck(net, softmaxCrossEntropy.classes(3), p, x, t).maxRelativeError).toBeLessThan(1e-8);
  });
});
