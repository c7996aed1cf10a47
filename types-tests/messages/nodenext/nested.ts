// Composites are layers, so nets nest; the checks see through the nesting.
import { compose, dense, relu, sequential, softmax, tanh } from 'foldnet';

const block = sequential(dense(4, 8), relu);
const head = sequential(dense(8, 3), softmax);
export const ok = sequential(block, tanh, head);

const wrongHead = sequential(dense(6, 3), softmax);
export const bad = sequential(block, tanh, wrongHead); // @expect-shape-error: sequential: layer #3 expects input dim 6, but layer #1 outputs 8

const inner = compose(relu, dense(8, 6));
export const badOuter = compose(dense(5, 1), inner, block); // @expect-shape-error: compose: layer #1 expects input dim 5, but layer #2 (applied before it) outputs 6
