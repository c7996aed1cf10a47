// Dims must be literals; dyn(n) opts into a run-time dim; arrays of unknown length are rejected.
import { compose, dense, dyn, relu, sequential, type Layer, type Part } from 'foldnet';

declare const n: number;
export const inputNotLiteral = dense(n, 8); // @expect-shape-error: dense: input dim must be a literal number (use dyn(n) for a dimension known only at run time)
export const outputNotLiteral = dense(4, n); // @expect-shape-error: dense: output dim must be a literal number (use dyn(n) for a dimension known only at run time)

// The escape hatch type-checks against any neighbour (checked when the net is built).
export const withDyn = sequential(dense(dyn(n), 8), relu, dense(8, dyn(n)), dense(3, 1));

declare const layers: Layer<4, 4, unknown>[];
export const spreadSequential = sequential(...layers); // @expect-shape-error: sequential: cannot check an array of unknown length; pass the layers one by one
export const spreadCompose = compose(...layers); // @expect-shape-error: compose: cannot check an array of unknown length; pass the layers one by one

declare const parts: Part[];
export const spreadAfterLayer = sequential(dense(4, 4), ...parts); // @expect-shape-error: sequential: cannot check an array of unknown length; pass the layers one by one

// A tuple of known length is fine: its elements are checked like separate arguments.
declare const pair: readonly [Layer<4, 8, unknown>, Layer<8, 2, unknown>];
export const spreadTuple = sequential(...pair);
declare const badPair: readonly [Layer<4, 8, unknown>, Layer<6, 2, unknown>];
export const spreadBadTuple = sequential(...badPair); // @expect-error: 'ShapeError<"sequential: layer #2 expects input dim 6, but layer #1 outputs 8">'

// Literal dims must be positive integers.
export const zeroDim = dense(0, 3); // @expect-shape-error: dense: input dim must be a positive integer, got 0
export const negativeDim = dense(4, -2); // @expect-shape-error: dense: output dim must be a positive integer, got -2
export const fractionalDim = dense(2.5, 3); // @expect-shape-error: dense: input dim must be a positive integer, got 2.5

// An empty composition is rejected at compile time too.
export const emptySequential = sequential(); // @expect-error: Expected 1 arguments, but got 0
export const emptyCompose = compose(); // @expect-error: Expected 1 arguments, but got 0
