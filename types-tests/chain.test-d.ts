// chain's state is the tuple of its parts' states, inferred without an `any` bound; a value that
// is not a gradient transformation is rejected.
import { expectError, expectType } from 'tsd';
import { chain, scaleByAdam, scaleByLearningRate, trace, type GradientTransformation } from '..';
// The primitives' state types are internal (`StateOf<typeof t>` names a transformation's state); the
// test pins them down from their module.
import type { AdamState, CountState, TraceState } from '../dist/optim/primitives.js';

expectType<GradientTransformation<readonly [TraceState, CountState]>>(chain(trace(0.9), scaleByLearningRate(0.1)));
expectType<GradientTransformation<readonly [AdamState, CountState]>>(chain(scaleByAdam(), scaleByLearningRate(1e-3)));
expectError(chain({ init: 1 }));
