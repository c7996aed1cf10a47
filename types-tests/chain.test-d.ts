// chain's state is the tuple of its parts' states, inferred without an `any` bound; a value that
// is not a gradient transformation is rejected.
import { expectError, expectType } from 'tsd';
import { chain, scaleByAdam, scaleByLearningRate, trace, type AdamState, type CountState, type GradientTransformation, type TraceState } from '..';

expectType<GradientTransformation<readonly [TraceState, CountState]>>(chain(trace(0.9), scaleByLearningRate(0.1)));
expectType<GradientTransformation<readonly [AdamState, CountState]>>(chain(scaleByAdam(), scaleByLearningRate(1e-3)));
expectError(chain({ init: 1 }));
