// Convolution, pooling and recurrent layers against PyTorch: outputs and the gradients of
// L = ⟨u, y⟩ computed by torch.autograd in float64 (test/fixtures/torch-layers.json, made by
// scripts/fixtures/torch-layers.py, which documents the layout conversions).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conv1d, conv2d } from '../../src/layer/conv.js';
import { avgPool, maxPool } from '../../src/layer/pool.js';
import { gru, lstm, rnn } from '../../src/layer/recurrent.js';
import * as P from '../../src/params.js';
import { key } from '../../src/random.js';
import { unsafeMat } from '../../src/tensor/mat.js';
import type { AnyLayer } from '../support/layers.js';
import { relErr } from '../support/closeness.js';

interface Case {
  readonly name: string;
  readonly kind: string;
  readonly config: Record<string, never>;
  readonly x: number[];
  readonly params: Record<string, number[]>;
  readonly y: number[];
  readonly u: number[];
  readonly dx: number[];
  readonly dparams: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch-layers.json', import.meta.url), 'utf8')) as { batch: number; cases: Case[] };

/** The foldnet layer a fixture describes, and its parameter record built from flat arrays. */
const build = (c: Case): { layer: AnyLayer; params: (v: Record<string, number[]>) => unknown } => {
  const cfg = c.config as Record<string, unknown>;
  const input = cfg['input'] as never;
  const like = (built: unknown) => {
    const layer = built as AnyLayer;
    // the same leaves as init() gives, filled with the fixture's values by name: checks the layout
    const params = (v: Record<string, number[]>) => P.mapLeaves(layer.init(key(0)), (leaf, path) => {
      const values = v[path.replace(/^.*\./, '')];
      if (values === undefined || values.length !== leaf.data.length) throw new Error(`${c.name}: no values for ${path}`);
      return Float64Array.from(values);
    });
    return { layer, params };
  };
  switch (c.kind) {
    case 'conv2d':
      return like(conv2d(input, cfg as never));
    case 'conv1d':
      return like(conv1d(input, cfg as never));
    case 'maxPool':
      return like(maxPool(input, cfg['size'] as never, { stride: cfg['stride'] as never, padding: (cfg['padding'] ?? 'valid') as never }));
    case 'avgPool':
      return like(avgPool(input, cfg['size'] as never, { stride: cfg['stride'] as never, padding: (cfg['padding'] ?? 'valid') as never }));
    case 'rnn':
      return like(rnn(input, cfg['hidden'] as never, { returnSequences: cfg['returnSequences'] as boolean }));
    case 'lstm':
      return like(lstm(input, cfg['hidden'] as never, { returnSequences: cfg['returnSequences'] as boolean }));
    case 'gru':
      return like(gru(input, cfg['hidden'] as never, { returnSequences: cfg['returnSequences'] as boolean }));
    default:
      throw new Error(`unknown fixture kind ${c.kind}`);
  }
};

describe.each(fixture.cases)('$name', (c) => {
  it('matches PyTorch: output, input gradient and parameter gradients (max rel. error ≤ 1e-12)', () => {
    const { layer, params } = build(c);
    const p = params(c.params);
    const x = unsafeMat(fixture.batch, layer.inputDim as number, Float64Array.from(c.x));
    const [y, pullback] = layer.vjp(p, x);
    expect(relErr(y.data, c.y)).toBeLessThan(1e-12);
    const [dp, dx] = pullback(unsafeMat(y.rows, y.cols, Float64Array.from(c.u)));
    expect(relErr(dx.data, c.dx)).toBeLessThan(1e-12);
    expect(relErr(P.flatten(dp), P.flatten(params(c.dparams)))).toBeLessThan(1e-12);
  });
});

it('the fixture covers every convolution, pooling and recurrent kind', () => {
  expect(new Set(fixture.cases.map((c) => c.kind))).toEqual(new Set(['conv2d', 'conv1d', 'maxPool', 'avgPool', 'rnn', 'lstm', 'gru']));
});
