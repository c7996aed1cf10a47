// compose(fn, …, f1) = fn ∘ … ∘ f1 runs right to left; the layer applied later (the one further
// left) is underlined, and positions are argument positions.
import { compose, dense, relu, tanh, softmax } from 'foldnet';

// The first argument (applied last).
export const first = compose(dense(5, 2), dense(4, 8)); // @expect-shape-error: compose: layer #1 expects input dim 5, but layer #2 (applied before it) outputs 8

// A middle argument.
export const middle = compose(dense(4, 2), relu, dense(6, 4), relu, dense(4, 5)); // @expect-shape-error: compose: layer #3 expects input dim 6, but layer #5 (applied before it) outputs 5

// The last junction (the second-to-last argument meets the first layer applied).
export const last = compose(softmax, dense(4, 3), tanh, dense(6, 4), relu, dense(7, 6), dense(4, 8)); // @expect-shape-error: compose: layer #6 expects input dim 7, but layer #7 (applied before it) outputs 8

// The lecture network with f2 = dense(8, 5) instead of dense(8, 6): the comment in
// examples/lecture-network.ts quotes this message.
const f1 = dense(4, 8);
const f2 = dense(8, 5);
const f3 = dense(6, 4);
const f4 = dense(4, 2);
export const lecture = compose(f4, relu, f3, relu, f2, relu, f1); // @expect-shape-error: compose: layer #3 expects input dim 6, but layer #5 (applied before it) outputs 5
