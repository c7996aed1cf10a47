// sequential(f1, …, fn): the first bad neighbour's later layer is underlined, and the message
// names both positions and both dims. Annotations: see ../check.mjs.
import { sequential, dense, relu, tanh, sigmoid, softmax, identity } from 'foldnet';

// First junction.
export const first = sequential(dense(4, 8), dense(6, 2)); // @expect-shape-error: sequential: layer #2 expects input dim 6, but layer #1 outputs 8

// A middle junction, across activations (they pass the width through).
export const middle = sequential(dense(4, 8), relu, dense(8, 6), tanh, dense(5, 4), relu, dense(4, 2)); // @expect-shape-error: sequential: layer #5 expects input dim 5, but layer #3 outputs 6

// Last junction, and a trailing activation after it.
export const last = sequential(dense(4, 8), relu, dense(8, 6), sigmoid, dense(7, 2), softmax); // @expect-shape-error: sequential: layer #5 expects input dim 7, but layer #3 outputs 6

// The README's example.
export const readme = sequential(dense(4, 8), relu, dense(6, 2)); // @expect-shape-error: sequential: layer #3 expects input dim 6, but layer #1 outputs 8

// Leading activations are skipped: positions still count them.
export const leading = sequential(identity, relu, dense(3, 5), dense(4, 1)); // @expect-shape-error: sequential: layer #4 expects input dim 4, but layer #3 outputs 5

// Only the first bad neighbour is reported (one error per call, no cascade).
export const onlyFirst = sequential(dense(4, 8), dense(6, 2), dense(3, 1)); // @expect-shape-error: sequential: layer #2 expects input dim 6, but layer #1 outputs 8

// An activation fixed to a width with .at(n) is checked like any layer.
export const fixedActivation = sequential(dense(4, 8), relu.at(5)); // @expect-shape-error: sequential: layer #2 expects input dim 5, but layer #1 outputs 8

// A composite of activations only stays width-polymorphic, so it passes the width through.
export const polyBlock = sequential(dense(4, 8), sequential(relu, tanh), dense(6, 2)); // @expect-shape-error: sequential: layer #3 expects input dim 6, but layer #1 outputs 8

// In a call over several lines the offending argument's own line is reported.
export const multiline = sequential(
  dense(4, 8),
  relu,
  dense(8, 16),
  relu,
  dense(12, 3), // @expect-shape-error: sequential: layer #5 expects input dim 12, but layer #3 outputs 16
);
