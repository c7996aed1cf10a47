import { expectAssignable, expectError, expectType } from 'tsd';
import {
  dense, dropout, gridSearch, key, l2Penalty, pathMask, relu, sequential, weightDecay, excludeBiases,
  type GradientTransformation, type LeafPath, type ParamMask, type Penalty, type PolyLayer, type NoParams,
} from '..';

const net = sequential(dense(3, 4), relu, dropout(0.2), dense(4, 2));
type P = ReturnType<typeof net.init>;

// the typed paths of a composite's parameters: activations and dropout contribute none
expectType<'0.w' | '0.b' | '3.w' | '3.b'>(null as unknown as LeafPath<P>);
expectAssignable<ParamMask>(pathMask(net)('0.w', '3.b'));
expectError(pathMask(net)('1.w'));
expectError(pathMask(net)('0.weights'));

// dropout is shape-polymorphic and keeps the checked chain
expectType<PolyLayer<NoParams>>(dropout(0.5));
expectError(sequential(dense(3, 4), dropout(0.5), dense(5, 2)));

expectAssignable<Penalty>(l2Penalty(1e-3, excludeBiases));
expectAssignable<GradientTransformation<null>>(weightDecay(1e-3));

// a grid point is typed per option
const r = gridSearch({ grid: { lambda: [0.1, 1], act: ['relu', 'tanh'] as const }, mode: 'max', key: key(0), evaluate: () => 0 });
expectType<number>(r.best.lambda);
expectType<'relu' | 'tanh'>(r.best.act);
