// compose and sequential at run time: the same function either way round, parameters in argument
// order, depth ≥ 100, and the run-time check behind dyn().
import { describe, expect, it } from 'vitest';
import { compose, sequential } from '../../src/layer/compose.js';
import { dense } from '../../src/layer/dense.js';
import { relu, sigmoid, softmax, tanh } from '../../src/layer/activation.js';
import type { ParamsOf, Part } from '../../src/layer/layer.js';
import { dyn } from '../../src/shape/dim.js';
import * as P from '../../src/params.js';
import { key } from '../../src/random.js';
import { bits, dotFlat, randomLike, randomMat, type AnyLayer } from '../support/layers.js';
import { expectClose, relErr } from '../support/closeness.js';

// Untyped entry points, for the run-time checks and for chains built in a loop (the typed
// signatures reject arrays of unknown length on purpose; they are tested in types-tests/).
const sequentialOf = sequential as unknown as (...ls: Part[]) => AnyLayer;
const composeOf = compose as unknown as (...ls: Part[]) => AnyLayer;

describe('compose and sequential', () => {
  const f1 = dense(4, 8);
  const f2 = dense(8, 6);
  const f3 = dense(6, 4);
  const f4 = dense(4, 2);
  const seq = sequential(f1, relu, f2, tanh, f3, sigmoid, f4);
  const comp = compose(f4, sigmoid, f3, tanh, f2, relu, f1);

  it('compose(fn, …, f1) computes the same function as sequential(f1, …, fn), with the parameter tuple reversed', () => {
    const ps = randomLike(key(1), seq.init(key(0)), 0.5);
    const pc = [...ps].reverse() as unknown as ParamsOf<typeof comp>;
    const x = randomMat(key(2), 5, 4);
    expect(bits(comp.forward(pc, x).data)).toEqual(bits(seq.forward(ps, x).data));

    const dy = randomMat(key(3), 5, 2);
    const [ys, pbs] = seq.vjp(ps, x);
    const [yc, pbc] = comp.vjp(pc, x);
    expect(bits(yc.data)).toEqual(bits(ys.data));
    const [dps, dxs] = pbs(dy);
    const [dpc, dxc] = pbc(dy);
    expect(bits(dxc.data)).toEqual(bits(dxs.data));
    expect(bits(P.flatten([...dpc].reverse()))).toEqual(bits(P.flatten(dps)));

    const dp = randomLike(key(4), ps);
    const dx = randomMat(key(5), 5, 4);
    const [, ts] = seq.jvp(ps, x, dp, dx);
    const [, tc] = comp.jvp(pc, x, [...dp].reverse() as unknown as typeof pc, dx);
    expect(bits(tc.data)).toEqual(bits(ts.data));
  });

  it('the parameter tuple is in argument order: element k belongs to argument k', () => {
    const pc = comp.init(key(0));
    expect(pc.length).toBe(7);
    expect([pc[0].w.rows, pc[0].w.cols]).toEqual([4, 2]); // f4, the first argument
    expect([pc[6].w.rows, pc[6].w.cols]).toEqual([4, 8]); // f1, applied first
    expect(P.size(pc[1])).toBe(0); // activations hold the empty record
    const ps = seq.init(key(0));
    expect([ps[0].w.rows, ps[0].w.cols]).toEqual([4, 8]);
    expect(P.leaves(ps).map((l) => l.path)).toEqual(['0.w', '0.b', '2.w', '2.b', '4.w', '4.b', '6.w', '6.b']);
  });

  it('each child gets its own key: no two dense layers of the same shape start equal', () => {
    const p = sequential(dense(3, 3), dense(3, 3), dense(3, 3)).init(key(0));
    expect(bits(p[0].w.data)).not.toEqual(bits(p[1].w.data));
    expect(bits(p[1].w.data)).not.toEqual(bits(p[2].w.data));
  });

  it('the composite is the chain of its parts: forward equals applying each layer in turn', () => {
    const ps = randomLike(key(6), seq.init(key(0)), 0.5);
    const x = randomMat(key(7), 3, 4);
    const parts: readonly AnyLayer[] = [f1, relu.at(8), f2, tanh.at(6), f3, sigmoid.at(4), f4];
    const manual = parts.reduce((h, l, i) => l.forward(ps[i], h), x);
    expect(bits(seq.forward(ps, x).data)).toEqual(bits(manual.data));
  });

  it('a block of activations only is width-polymorphic inside a chain and runs at the width it meets', () => {
    const block = sequential(relu, tanh);
    expect('poly' in block && block.poly).toBe(true);
    const net = sequential(dense(4, 8), block, dense(8, 2));
    const p = randomLike(key(11), net.init(key(0)), 0.5);
    const x = randomMat(key(12), 3, 4);
    const hidden = tanh.forward({}, relu.forward({}, dense(4, 8).forward(p[0], x)));
    const manual = dense(8, 2).forward(p[2], hidden);
    expect(bits(net.forward(p, x).data)).toEqual(bits(manual.data));
  });

  it('records its architecture as data: kind, dims and children', () => {
    expect(seq.spec.kind).toBe('sequential');
    expect([seq.inputDim, seq.outputDim]).toEqual([4, 2]);
    expect(seq.spec.children?.map((c) => c.kind)).toEqual(['dense', 'relu', 'dense', 'tanh', 'dense', 'sigmoid', 'dense']);
    expect([comp.inputDim, comp.outputDim]).toEqual([4, 2]);
    const nested = sequential(seq, softmax);
    expect(nested.spec.children?.[0]?.children?.length).toBe(7);
  });
});

describe('deep chains', () => {
  it('a 101-layer chain builds, runs forward/vjp/jvp, and keeps vjp the adjoint of jvp', () => {
    const parts: Part[] = [dense(3, 5)];
    for (let i = 0; i < 49; i++) parts.push(tanh, dense(5, 5));
    parts.push(dense(5, 2));
    expect(parts.length).toBe(100);
    parts.push(softmax);
    const net = sequentialOf(...parts);
    expect([net.inputDim, net.outputDim]).toEqual([3, 2]);

    const p = net.init(key(0));
    expect((p as readonly unknown[]).length).toBe(101);
    const x = randomMat(key(1), 4, 3);
    const y = net.forward(p, x);
    expect([y.rows, y.cols]).toEqual([4, 2]);
    expect(y.data.every(Number.isFinite)).toBe(true);

    const u = randomMat(key(2), 4, 2);
    const dp = randomLike(key(3), p);
    const dx = randomMat(key(4), 4, 3);
    const [, jv] = net.jvp(p, x, dp, dx);
    const [, pullback] = net.vjp(p, x);
    const [uJp, uJx] = pullback(u);
    const lhs = dotFlat(u.data, jv.data);
    const rhs = P.dot(uJp, dp) + dotFlat(uJx.data, dx.data);
    expectClose([lhs], [rhs], 1e-10, 1);
  });

  it('compose of the same 101 layers reversed gives the same output', () => {
    const parts: Part[] = [];
    for (let i = 0; i < 50; i++) parts.push(dense(4, 4), tanh);
    parts.push(dense(4, 1));
    const seq = sequentialOf(...parts);
    const comp = composeOf(...[...parts].reverse());
    const p = seq.init(key(9));
    const x = randomMat(key(10), 2, 4);
    expect(relErr(comp.forward([...p].reverse(), x).data, seq.forward(p, x).data)).toBe(0);
  });
});

describe('run-time dims (dyn) and untyped callers', () => {
  it('dyn dims that fit build and run', () => {
    const n = dyn([1, 2, 3, 4, 5].length);
    const net = sequential(dense(n, 8), relu, dense(8, dyn(3)), dense(dyn(3), 1));
    expect([net.inputDim, net.outputDim]).toEqual([5, 1]);
    const y = net.forward(net.init(key(0)), randomMat(key(1), 2, n));
    expect([y.rows, y.cols]).toEqual([2, 1]);
  });

  it('a dyn mismatch is rejected when the net is built, naming positions and dims', () => {
    const features = 6;
    expect(() => sequential(dense(4, 8), relu, dense(dyn(features), 2))).toThrow(
      'sequential: layer #3 expects input dim 6, but layer #1 outputs 8',
    );
    expect(() => compose(dense(dyn(features), 2), relu, dense(4, 8))).toThrow(
      'compose: layer #1 expects input dim 6, but layer #3 (applied before it) outputs 8',
    );
  });

  it('dyn rejects dims that are not positive integers', () => {
    expect(() => dyn(0)).toThrow('dyn: a dimension must be a positive integer, got 0');
    expect(() => dyn(2.5)).toThrow('dyn: a dimension must be a positive integer, got 2.5');
    expect(() => dyn(Number.NaN)).toThrow(RangeError);
  });

  it('dense rejects non-positive or fractional dims from untyped code', () => {
    const denseOf = dense as unknown as (i: number, o: number) => AnyLayer;
    expect(() => denseOf(0, 3)).toThrow('dense: input dim must be a positive integer, got 0');
    expect(() => denseOf(3, 1.5)).toThrow('dense: output dim must be a positive integer, got 1.5');
  });

  it('untyped callers get clear errors for an empty list, a non-layer, or a mismatch', () => {
    expect(() => sequentialOf()).toThrow('sequential: needs at least one layer');
    expect(() => sequentialOf(dense(2, 2), 42 as unknown as Part)).toThrow('sequential: argument #2 is not a layer');
    expect(() => composeOf(dense(3, 1), dense(2, 2))).toThrow('compose: layer #1 expects input dim 3, but layer #2 (applied before it) outputs 2');
  });
});

describe('specs of composites', () => {
  it('an activation-only composite lists its children in spec, also once fixed to a width with at(n)', () => {
    const block = sequential(relu, tanh);
    const kinds = (children: readonly { kind: string }[] | undefined) => children?.map((c) => c.kind);
    expect(block.spec).toMatchObject({ kind: 'sequential', inputDim: null, outputDim: null });
    expect(kinds(block.spec.children)).toEqual(['relu', 'tanh']);
    const fixed = block.at(3);
    expect(fixed.spec).toMatchObject({ kind: 'sequential', inputDim: 3, outputDim: 3 });
    expect(kinds(fixed.spec.children)).toEqual(['relu', 'tanh']);
  });
});
