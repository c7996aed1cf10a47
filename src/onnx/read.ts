/**
 * What every layer mapping shares: the mapping's type, and the reading helpers (one node of a
 * given operator, a constant of a given shape, parameters checked for untyped callers).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { InferenceForm } from '../layer/form.js';
import type { Mat, Vec } from '../tensor/mat.js';
import { describeNode, isOp, mismatch, quote, tensorValues, type ChainReader, type GraphBuilder, type Mismatch } from './graph.js';
import type { NodeRecord } from './wire.js';

/** The forms a mapping translates (the structural ones, chains and per-step layers, are walked by the translators). @internal */
export type LeafForm = Exclude<InferenceForm, { readonly op: 'chain' | 'timeDistributed' }>;
/** The form of one `op`. @internal */
export type FormOf<K extends LeafForm['op']> = Extract<LeafForm, { readonly op: K }>;

/**
 * One layer form's translation. `emit` appends the layer's nodes after the value `x` and returns
 * the value it outputs (or a reason it cannot, such as parameters of the wrong shape);
 * `read` consumes the layer's nodes from the chain and returns its parameters.
 */
export interface Mapping<F extends LeafForm> {
  /** The operators this form becomes, for messages. */
  readonly operators: (form: F) => string;
  readonly emit: (form: F, params: unknown, x: string, prefix: string, g: GraphBuilder) => E.Either<Mismatch, string>;
  readonly read: (form: F, r: ChainReader) => E.Either<Mismatch, unknown>;
}

/** The parameters of a layer that has none. @internal */
export const noParams = Object.freeze({});

/** Reads one node that must be the standard operator `op`. @internal */
export const take = (r: ChainReader, op: string, expected: string): E.Either<Mismatch, NodeRecord> =>
  pipe(
    r.peek(),
    E.mapLeft((why) => ({ expected, got: why })),
    E.chain((n) => (isOp(n, op) && n.input[0] === r.current() ? E.right(n) : mismatch<NodeRecord>(expected, describeNode(n)))),
    E.map((n) => {
      r.advance(n);
      return n;
    }),
  );

/** True when `u` is a matrix `rows × cols` of float64 data. @internal */
export const isMat = (u: unknown, rows: number, cols: number): u is Mat<number, number> =>
  typeof u === 'object' && u !== null && (u as Mat).rows === rows && (u as Mat).cols === cols &&
  (u as Mat).data instanceof Float64Array && (u as Mat).data.length === rows * cols;
/** True when `u` is a vector of `size` float64 values. @internal */
export const isVec = (u: unknown, size: number): u is Vec<number> =>
  typeof u === 'object' && u !== null && (u as Vec).size === size && (u as Vec).data instanceof Float64Array && (u as Vec).data.length === size;

/** The index of the first non-finite entry, or −1. @internal */
export const firstNonFinite = (xs: Float64Array): number => xs.findIndex((v) => !Number.isFinite(v));

/** A tensor read where a layer expects it, named after what it is for and the node using it. @internal */
export const constantAt = (r: ChainReader, name: string | undefined, dims: readonly number[], what: string, node: NodeRecord): E.Either<Mismatch, Float64Array> =>
  E.mapLeft((m: Mismatch) => ({ expected: `${what} to be ${m.expected}`, got: `${m.got} (input ${quote(name ?? '')} of ${describeNode(node)})` }))(
    tensorValues(name === undefined || name === '' ? undefined : r.constant(name), dims),
  );
