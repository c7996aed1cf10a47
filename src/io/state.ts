/**
 * `saveState`/`loadState`: optimizer state (or any tree of tensors and numbers) as versioned JSON,
 * so training resumes exactly where it stopped.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { PersistenceErrors } from './errors.js';
import { persistenceError } from './errors.js';
import { FORMAT, VERSION, defaultMaxChars, readEnvelope, type LoadOptions } from './save.js';
import { countNumbers, decodeTree, encodeTree } from './tree.js';

const statePath = (p: string): string => (p === '' ? 'state' : `state.${p}`.replace(/\.(\d+)(?=\.|$)/g, '[$1]'));

/**
 * Saves a tree of tensors, numbers, strings, booleans, null, arrays and records (e.g. the state
 * an optimizer's `init` returns and `update` threads along: step counts, moment estimates) as
 * `{ format: "foldnet", version: 1, kind: "state", state }`, numbers in shortest round-trip form.
 * A state that `loadState(state, text)` would refuse is never written: non-finite numbers, nesting
 * deeper than 64, `__proto__`/`constructor`/`prototype` keys give a `Left` naming each one.
 *
 * @example
 * const optState = adam(1e-3).init(p0)
 * pipe(saveState(optState), E.map((json) => writeFileSync('opt.json', json)))
 * @since 0.1.0
 * @category persistence
 */
export const saveState = <S>(state: S): E.Either<PersistenceErrors, string> => {
  try {
    const text = E.map((tree: string) => `{"format":${JSON.stringify(FORMAT)},"version":${VERSION},"kind":"state",\n"state":${tree}}\n`)(encodeTree(state, statePath));
    // What loadState refuses (nesting past its depth, __proto__-like keys, over its size bound), saveState refuses.
    return E.chain((t: string) => E.map(() => t)(loadState(state, t)))(text);
  } catch (e) {
    return E.left([persistenceError('state', 'a saveable tree', `an internal error (${String(e)})`)]);
  }
};

/**
 * Loads a state saved by {@link saveState} into the structure of `like` (typically
 * `optimizer.init(params)` for the same model): same records, lists and tensor dims, every
 * difference named (`"state.mu.1.w: expected 8×6, got 8×5"`). Same defences as `load`: size bound
 * before parsing, dims before allocating, no `__proto__`-like keys, finite numbers only. Never throws.
 *
 * @since 0.1.0
 * @category persistence
 */
export const loadState = <S>(like: S, text: unknown, options: LoadOptions = {}): E.Either<PersistenceErrors, S> => {
  try {
    const maxChars = options.maxChars ?? defaultMaxChars(countNumbers(like));
    return E.chain((root: Record<string, unknown>) => decodeTree(like, root['state'], statePath))(readEnvelope(text, 'state', maxChars));
  } catch (e) {
    return E.left([persistenceError('state', 'a loadable file', `an internal error (${String(e)})`)]);
  }
};
