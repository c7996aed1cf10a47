import { expectError, expectType } from 'tsd';
import {
  adam, dense, fit, fitEither, fitEpochs, fromRows, key, mse, predict, relu, sequential, sgd, softmaxCrossEntropy, momentum,
  type DenseParams, type FitError, type FitResult, type Mat, type NoParams, type StateOf, type TrainState,
} from '..';
import type { Either } from 'fp-ts/lib/Either.js';

const net = sequential(dense(4, 8), relu, dense(8, 3));
type NetParams = readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 3>];
const p0 = net.init(key(0));
const x = fromRows([[1, 2, 3, 4], [5, 6, 7, 8]]);
const y = fromRows([[1, 0, 0], [0, 1, 0]]);
const base = { loss: mse, epochs: 2, batchSize: 1, key: key(1) } as const;

// The returned params have the model's parameter type; the state carries the optimizer's state type,
// which `StateOf` names without spelling it out.
type SgdState = StateOf<ReturnType<typeof sgd>>;
const r = fit(net, p0, { x, y }, { ...base, optimizer: sgd(0.1) });
expectType<NetParams>(r.params);
expectType<FitResult<NetParams, SgdState>>(r);
expectType<Either<FitError, FitResult<NetParams, SgdState>>>(fitEither(net, p0, { x, y }, { ...base, optimizer: sgd(0.1) }));
expectType<Iterable<TrainState<NetParams, SgdState>>>(fitEpochs(net, p0, { x, y }, { ...base, optimizer: sgd(0.1) }));
expectType<Mat<2, 3>>(predict(net, r.params, x));

// Data of the wrong width does not compile: x: Mat<B, 5> for a 4-input model, y of width 2 for 3 outputs.
const x5 = fromRows([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
expectError(fit(net, p0, { x: x5, y }, { ...base, optimizer: sgd(0.1) }));
expectError(fit(net, p0, { x, y: fromRows([[1, 0], [0, 1]]) }, { ...base, optimizer: sgd(0.1) }));
expectError(predict(net, p0, x5));

// A loss for another width does not compile; a width-polymorphic one does.
expectError(fit(net, p0, { x, y }, { ...base, loss: softmaxCrossEntropy.classes(2), optimizer: adam() }));
fit(net, p0, { x, y }, { ...base, loss: softmaxCrossEntropy.classes(3), optimizer: adam() });
fit(net, p0, { x, y }, { ...base, loss: softmaxCrossEntropy, optimizer: momentum(0.1) });

// Parameters of another architecture do not compile.
const other = sequential(dense(4, 5), relu, dense(5, 3));
expectError(fit(net, other.init(key(0)), { x, y }, { ...base, optimizer: sgd(0.1) }));

// Options are checked: batchSize is a number or 'full'; the validation data has the model's widths.
expectError(fit(net, p0, { x, y }, { ...base, batchSize: 'all', optimizer: sgd(0.1) }));
expectError(fit(net, p0, { x, y }, { ...base, optimizer: sgd(0.1), validation: { x: x5, y } }));
expectError(fit(net, p0, { x, y }, { ...base, optimizer: sgd(0.1), earlyStopping: { patience: 3, monitor: 'accuracy' } }));
