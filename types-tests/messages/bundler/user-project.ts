// A user's project with bundler resolution and the strictest optional flags: the same nets
// type-check, the same mistakes give the same messages.
import { compose, dense, fromRows, key, relu, sequential, softmax, type InputDim, type OutputDim, type ParamsOf } from 'foldnet';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assert = <T extends true>(): T => true as T;

const classifier = sequential(dense(4, 16), relu, dense(16, 3), softmax);
assert<Equal<InputDim<typeof classifier>, 4>>();
assert<Equal<OutputDim<typeof classifier>, 3>>();
assert<Equal<ParamsOf<typeof classifier>['length'], 4>>();

const params = classifier.init(key(42));
export const probabilities = classifier.forward(params, fromRows([[5.1, 3.5, 1.4, 0.2]]));
const [, pullback] = classifier.vjp(params, fromRows([[5.1, 3.5, 1.4, 0.2]]));
export const [grads, dx] = pullback(probabilities);
export const tangent = classifier.jvp(params, fromRows([[1, 0, 0, 0]]), classifier.zerosLike(params), fromRows([[0, 1, 0, 0]]));

export const wrong = compose(dense(3, 1), relu, dense(4, 16)); // @expect-shape-error: compose: layer #1 expects input dim 3, but layer #3 (applied before it) outputs 16
export const fed5 = classifier.forward(params, fromRows([[1, 2, 3, 4, 5]])); // @expect-error: Argument of type 'Mat<1, 5>' is not assignable to parameter of type 'Mat<1, 4>'
