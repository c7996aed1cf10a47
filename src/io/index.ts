/**
 * Persistence: versioned JSON for parameters and optimizer state, decoded against the
 * architecture so a mismatch is named, never loaded. Browser-safe (text in, text out); the
 * `foldnet/node` entry point reads and writes files.
 *
 * @module
 */
export { type PersistenceError, type PersistenceErrors, persistenceError } from './errors.js';
export { parseJson, numberToJson } from './json.js';
export { type ValueTree, encodeTree, decodeTree } from './tree.js';
export { save, load, readSpec, paramPathNamer, defaultMaxChars, UNSIZED_NUMBERS, FORMAT, VERSION, type LoadOptions } from './save.js';
export { saveState, loadState } from './state.js';
