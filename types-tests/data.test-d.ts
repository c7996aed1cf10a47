import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import * as E from 'fp-ts/lib/Either.js';
import {
  dense, dyn, labels, load, matrix, oneHot, readCsv, relu, save, sequential, standardize,
  type ClassificationTable, type CsvWithRejected, type DataErrors, type DenseParams, type DynDim, type Labels, type Layer, type PersistenceErrors,
  type Mat, type NoParams, type RegressionTable, type Standardize,
} from '..';

// matrix(C) decodes to Mat<number, C> with C literal, or DynDim through dyn(n).
expectType<E.Either<DataErrors, Mat<number, 4>>>(matrix(4).decode([[1, 2, 3, 4]]));
expectType<E.Either<DataErrors, Mat<number, DynDim>>>(matrix(dyn(4)).decode([]));
declare const n: number;
expectError(matrix(n));
expectType<E.Either<DataErrors, Labels<3>>>(labels(3).decode([0]));
expectType<Mat<number, 3>>(oneHot([0, 1], 3));

// readCsv: a literal feature list gives a literal width; 'all-but-target' a run-time one.
const named = readCsv('', { features: ['a', 'b', 'c'], target: 'label', task: 'classification', classes: 2 });
expectType<E.Either<DataErrors, ClassificationTable<3, 2>>>(named);
const all = readCsv('', { features: 'all-but-target', target: 'target', task: 'regression' });
expectType<E.Either<DataErrors, RegressionTable<DynDim>>>(all);

// The decoded matrix feeds a net of the same width, and not one of another width.
declare const x3: Mat<number, 3>;
const net = sequential(standardize(x3), dense(3, 4), relu, dense(4, 2));
expectAssignable<Layer<3, 2, readonly [NoParams, DenseParams<3, 4>, NoParams, DenseParams<4, 2>]>>(net);
expectType<Standardize<3>>(standardize(x3));
expectError(sequential(standardize(x3), dense(4, 2)));
if (E.isRight(named)) net.forward(net.init(null as never), named.right.x);

// save/load keep the parameter type.
expectType<E.Either<PersistenceErrors, string>>(save(net, net.init(null as never)));
expectType<E.Either<PersistenceErrors, readonly [NoParams, DenseParams<3, 4>, NoParams, DenseParams<4, 2>]>>(load(net, ''));

// Labels<C> carries a required brand: only labels(C), readCsv and friends make one, so a plain
// array of anything (here out of range, negative and fractional) is not Labels<3>.
expectNotAssignable<Labels<3>>([7, -1, 0.5]);
expectNotAssignable<Labels<3>>([0, 1, 2]);
const takesLabels = (l: Labels<3>): number => l.length;
expectError(takesLabels([7, -1, 0.5]));
if (E.isRight(named)) expectType<Labels<2>>(named.right.labels);

// badRows: 'reject' keeps the good rows and returns the rejected ones, with the same typed table.
const some = readCsv('', { features: ['a', 'b', 'c'], target: 'label', task: 'classification', classes: 2, badRows: 'reject' });
expectType<E.Either<DataErrors, CsvWithRejected<ClassificationTable<3, 2>>>>(some);
const someReg = readCsv('', { features: ['a'], target: 'y', task: 'regression', badRows: 'reject' });
expectType<E.Either<DataErrors, CsvWithRejected<RegressionTable<1>>>>(someReg);
expectType<E.Either<DataErrors, RegressionTable<1>>>(readCsv('', { features: ['a'], target: 'y', task: 'regression', badRows: 'fail' }));
