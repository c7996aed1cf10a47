// The "Testing your own architectures with tsd" example of docs/layers-and-shapes.md, kept compiling.
import { expectError, expectType } from 'tsd';
import { dense, relu, sequential, softmax, type DenseParams, type InputDim, type NoParams, type OutputDim, type ParamsOf } from '..';

const classifier = sequential(dense(4, 16), relu, dense(16, 3), softmax);

expectType<4>(null as unknown as InputDim<typeof classifier>);
expectType<3>(null as unknown as OutputDim<typeof classifier>);
expectType<readonly [DenseParams<4, 16>, NoParams, DenseParams<16, 3>, NoParams]>(null as unknown as ParamsOf<typeof classifier>);

// A head for a different width must not fit.
expectError(sequential(classifier, dense(4, 1)));
// Nor may a 16-unit hidden layer feed an 8-input one.
expectError(sequential(dense(4, 16), relu, dense(8, 3), softmax));
