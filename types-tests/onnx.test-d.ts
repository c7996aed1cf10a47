// foldnet/onnx: fromOnnx gives the parameters of the typed net it is given, toOnnx takes exactly
// that net's parameters, and the options are checked.
import { expectError, expectType } from 'tsd';
import type * as E from 'fp-ts/lib/Either.js';
import { dense, key, relu, sequential, type PersistenceError, type ParamsOf } from '..';
import { fromOnnx, toOnnx, type ExportError } from '../dist/onnx.js';

const net = sequential(dense(4, 8), relu, dense(8, 3));
const params = net.init(key(0));

expectType<E.Either<ExportError, Uint8Array>>(toOnnx(net, params, { dtype: 'float64', opset: 17 }));
expectType<E.Either<PersistenceError, ParamsOf<typeof net>>>(fromOnnx(net, new Uint8Array(0)));

// another net's parameters, an unknown dtype
expectError(toOnnx(net, sequential(dense(4, 8), relu, dense(8, 2)).init(key(0))));
expectError(toOnnx(net, params, { dtype: 'float16' }));
