// Recurrent layers: backpropagation through time (vjp) and the forward fold (jvp) against central
// finite differences, returnSequences and learned initial states, and a custom cell through scan.
import { describe, expect, it } from 'vitest';
import { gru, gruCell, lstm, lstmCell, rnn, rnnCell } from '../../src/layer/recurrent.js';
import { scan } from '../../src/layer/scan.js';
import { timeDistributed } from '../../src/layer/time-distributed.js';
import { sequential } from '../../src/layer/compose.js';
import { dense } from '../../src/layer/dense.js';
import { sigmoid, tanh } from '../../src/layer/activation.js';
import { key } from '../../src/random.js';
import { randomLike, randomMat, type AnyLayer } from '../support/layers.js';
import { relErr } from '../support/closeness.js';
import { checkDerivatives } from './helpers.js';

const cases: readonly { name: string; layer: AnyLayer }[] = [
  { name: 'lstmCell(3, 2)', layer: lstmCell(3, 2) },
  { name: 'gruCell(3, 2)', layer: gruCell(3, 2) },
  { name: 'rnnCell(3, 2)', layer: rnnCell(3, 2) },
  { name: 'rnn last state', layer: rnn([4, 3], 2) },
  { name: 'rnn returnSequences, learned initial state', layer: rnn([4, 3], 2, { returnSequences: true, learnInitialState: true }) },
  { name: 'lstm last state', layer: lstm([4, 3], 2) },
  { name: 'lstm returnSequences, learned initial state', layer: lstm([3, 2], 3, { returnSequences: true, learnInitialState: true }) },
  { name: 'gru last state', layer: gru([4, 3], 2) },
  { name: 'gru returnSequences', layer: gru([3, 2], 3, { returnSequences: true }) },
  { name: 'scan of a custom cell, output = first entries of the state', layer: scan(sequential(dense(5, 3), sigmoid), { steps: 3, features: 2, state: 3, output: 2, returnSequences: true }) },
  { name: 'lstm (sequences) → timeDistributed(dense)', layer: sequential(lstm([4, 2], 3, { returnSequences: true }), timeDistributed(dense(3, 2), 4)) },
  { name: 'stacked: lstm (sequences) → gru → dense', layer: sequential(lstm([4, 2], 3, { returnSequences: true }), gru([4, 3], 2), dense(2, 1)) },
];

describe.each(cases)('$name', ({ layer }) => {
  it('vjp (BPTT) and jvp (forward fold) match central finite differences (max rel. error ≤ 1e-6) and are adjoint', () => {
    for (const seed of [1, 2]) checkDerivatives(layer, seed, 3);
  });
});

describe('scan', () => {
  it('an Elman scan equals the recurrence written out step by step', () => {
    const layer = rnn([3, 2], 2, { returnSequences: true });
    const p = randomLike(key(1), layer.init(key(1)));
    const x = randomMat(key(2), 1, 6);
    const y = layer.forward(p, x as never);
    const w = p.cell[0].w.data;
    const b = p.cell[0].b.data;
    let h = [0, 0];
    const want: number[] = [];
    for (let t = 0; t < 3; t++) {
      const z = [x.data[2 * t]!, x.data[2 * t + 1]!, ...h];
      h = [0, 1].map((j) => Math.tanh(b[j]! + z.reduce((s, v, i) => s + v * w[i * 2 + j]!, 0)));
      want.push(...h);
    }
    expect(relErr(y.data, want)).toBeLessThan(1e-14);
  });

  it('the last state is the last step of the sequence output', () => {
    const seqLayer = gru([5, 2], 3, { returnSequences: true });
    const lastLayer = gru([5, 2], 3);
    const p = seqLayer.init(key(3));
    const x = randomMat(key(4), 2, 10);
    const all = seqLayer.forward(p, x as never);
    const last = lastLayer.forward(p, x as never);
    for (let r = 0; r < 2; r++) expect(Array.from(last.data.subarray(3 * r, 3 * r + 3))).toEqual(Array.from(all.data.subarray(15 * r + 12, 15 * r + 15)));
  });

  it('rejects a cell whose input is not [x_t, s_{t-1}], naming the widths', () => {
    const bad = sequential(dense(4, 3), tanh) as AnyLayer;
    expect(() => scan(bad, { steps: 2, features: 2, state: 3 } as never)).toThrow('scan: the cell takes 4 inputs, but [x_t, s_{t-1}] has 2 + 3 = 5');
  });
});

describe('timeDistributed', () => {
  it('applies the layer to each step with the same parameters', () => {
    const f = dense(3, 2);
    const layer = timeDistributed(f, 4);
    const p = randomLike(key(5), layer.init(key(5)));
    const x = randomMat(key(6), 2, 12);
    const y = layer.forward(p, x as never);
    expect(layer.spec.outputShape).toEqual([4, 2]);
    for (let r = 0; r < 2; r++) {
      for (let t = 0; t < 4; t++) {
        const step = f.forward(p, { rows: 1, cols: 3, data: x.data.slice(r * 12 + 3 * t, r * 12 + 3 * t + 3) });
        expect(Array.from(y.data.subarray(r * 8 + 2 * t, r * 8 + 2 * t + 2))).toEqual(Array.from(step.data));
      }
    }
  });
});
