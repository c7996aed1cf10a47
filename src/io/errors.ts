/**
 * The error type of persistence (saving and loading): one record per problem, naming the place.
 *
 * @module
 */
import { MAX_ERRORS, clip, describe, errorList } from '../errors.js';

/**
 * One problem found while saving or loading a model or optimizer state (a value that cannot be
 * written, or a file that does not match the architecture).
 * `path` names the place (`"layer 2 (dense) w"`, `"version"`, `"state.mu.0.b"`); `expected` and
 * `got` are short text; `message` is `"<path>: expected <expected>, got <got>"`.
 *
 * @since 0.2.0
 * @category model
 */
export interface PersistenceError {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly message: string;
  /** Set only on the last entry of a capped list: the number of further problems not listed. */
  readonly more?: number;
}

/**
 * Every problem found (non-empty inside a `Left`), capped like the data boundary's lists: at most
 * `MAX_ERRORS` listed, then one entry (with `more`) counting the rest.
 *
 * @since 0.2.0
 * @category model
 */
export type PersistenceErrors = ReadonlyArray<PersistenceError>;

/** Builds a {@link PersistenceError}. @since 0.1.0 @category constructors */
export const persistenceError = (path: string, expected: string, got: string): PersistenceError =>
  Object.freeze({ path, expected, got, message: `${path === '' ? 'file' : clip(path)}: expected ${clip(expected)}, got ${clip(got)}` });

/** The last entry of a capped {@link PersistenceErrors} list. @internal */
const morePersistenceErrors = (more: number): PersistenceError =>
  Object.freeze({ path: '', expected: `at most ${MAX_ERRORS} problems listed`, got: `${more} more`, more, message: `… and ${more} more problem${more === 1 ? '' : 's'}` });

/** A {@link PersistenceErrors} collector capped at `MAX_ERRORS`. @internal */
export const persistenceErrorList = () => errorList<PersistenceError>(morePersistenceErrors);

/**
 * A short description of a JSON value for `got`: the data boundary's {@link describe}, except that
 * an empty string is shown as `""` (in a saved file it is a value, not an empty CSV cell).
 *
 * @internal
 */
export const describeJson = (u: unknown): string => (u === '' ? '""' : describe(u));
