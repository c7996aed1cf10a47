// Derivative checks shared by the shaped-layer suites (conv, pooling, recurrent): vjp and jvp
// against central finite differences, and the adjoint identity between them.
import { expect } from 'vitest';
import * as P from '../../src/params.js';
import { key, split } from '../../src/random.js';
import { fdDirectional, fdGradient, randomLike, randomMat, dotFlat, type AnyLayer } from '../support/layers.js';
import { expectClose, relErr } from '../support/closeness.js';

export const TOL = 1e-6;

/** Random parameters (biases included) and a random batch for `layer`. */
export const setup = (layer: AnyLayer, seed: number, batch = 2) => {
  const [kp, kx, kd, ku] = split(key(seed), 4);
  const p = randomLike(kp!, layer.init(key(seed)), 0.5);
  const x = randomMat(kx!, batch, layer.inputDim as number);
  return { p, x, kd: kd!, ku: ku! };
};

/** vjp's pullback and jvp's tangent both match central finite differences, and ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩. */
export const checkDerivatives = (layer: AnyLayer, seed: number, batch = 2): void => {
  const { p, x, kd, ku } = setup(layer, seed, batch);
  const [y, pullback] = layer.vjp(p, x);
  expect(Array.from(y.data)).toEqual(Array.from(layer.forward(p, x).data));
  const u = randomMat(ku, y.rows, y.cols);
  const [dp, dx] = pullback(u);
  const fd = fdGradient(layer, p, x, u);
  expect(relErr(dx.data, fd.dx)).toBeLessThanOrEqual(TOL);
  expect(relErr(P.flatten(dp), fd.dp)).toBeLessThanOrEqual(TOL);

  const [kdp, kdx] = split(kd);
  const tp = randomLike(kdp!, p);
  const tx = randomMat(kdx!, x.rows, x.cols);
  const [y2, dy] = layer.jvp(p, x, tp, tx);
  expect(Array.from(y2.data)).toEqual(Array.from(y.data));
  expect(relErr(dy.data, fdDirectional(layer, p, x, tp, tx))).toBeLessThanOrEqual(TOL);
  const lhs = dotFlat(u.data, dy.data);
  const rhs = dotFlat(P.flatten(dp), P.flatten(tp)) + dotFlat(dx.data, tx.data);
  expectClose([lhs], [rhs], 1e-9, 1);
};
