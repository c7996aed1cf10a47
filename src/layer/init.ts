/**
 * Weight initialisation, shared by every layer with weights (dense, convolutions, recurrent cells).
 *
 * @module
 */
import { uniform, normal, type Key } from '../random.js';
import type { Initializer } from './dense.js';

/**
 * `count` weights drawn by scheme `init` for a layer with the given fan-in and fan-out (for a
 * convolution: kernel area × input channels, and kernel area × filters).
 */
export const initWeights = (k: Key, count: number, fanIn: number, fanOut: number, init: Initializer): Float64Array => {
  if (init === 'glorot') {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return uniform(k, count, -a, a);
  }
  if (init === 'he') return normal(k, count, Math.sqrt(2 / fanIn));
  if (init === 'lecun') return normal(k, count, Math.sqrt(1 / fanIn));
  if ('uniform' in init) return uniform(k, count, -init.uniform, init.uniform);
  return normal(k, count, init.normal);
};

/** The scheme's name as saved in a layer's spec. */
export const initName = (init: Initializer): string =>
  typeof init === 'string' ? init : 'uniform' in init ? `uniform(${init.uniform})` : `normal(${init.normal})`;
