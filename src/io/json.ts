/**
 * Defensive JSON for untrusted files: size checked before parsing, then every key and number
 * checked before anything is built from it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { describeJson, persistenceError, persistenceErrorList, type PersistenceErrors } from './errors.js';

/** Keys that could reach an object's prototype if someone later copied the parsed value. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

/**
 * A JSON number in shortest round-trip form. `String(x)` is the shortest decimal that parses back
 * to the same double (ECMAScript Number::toString), including subnormals; `-0` is written
 * explicitly because `JSON.stringify(-0)` drops the sign.
 *
 * @since 0.1.0
 * @category encoders
 */
export const numberToJson = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

/**
 * Parses untrusted JSON text (a leading byte order mark is skipped): rejects a `maxChars` that is
 * not a positive number, text longer than `maxChars` (before parsing), malformed JSON,
 * nesting deeper than 64, the keys `__proto__`, `constructor` and `prototype`, and numbers that
 * overflow to ±Infinity (e.g. `1e999`). Lists every offending key and number. Never throws.
 *
 * @since 0.1.0
 * @category decoders
 */
export const parseJson = (text: unknown, maxChars: number): E.Either<PersistenceErrors, unknown> => {
  if (typeof text !== 'string') return E.left([persistenceError('', 'JSON text', describeJson(text))]);
  if (!(typeof maxChars === 'number' && maxChars > 0)) return E.left([persistenceError('options.maxChars', 'a positive number of characters (Infinity for no bound)', describeJson(maxChars))]);
  if (text.length > maxChars) return E.left([persistenceError('', `at most ${maxChars} characters (options.maxChars)`, `${text.length} characters`)]);
  let u: unknown;
  try {
    // A UTF-8 byte order mark is not part of the JSON text (RFC 8259 §8.1 lets a reader skip it).
    u = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return E.left([persistenceError('', 'well-formed JSON', `malformed JSON (${(e as Error).message})`)]);
  }
  const errors = persistenceErrorList();
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      errors.add(persistenceError(path, `nesting at most ${MAX_DEPTH} deep`, 'deeper nesting'));
      return;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) errors.add(persistenceError(path, 'a finite number', String(v)));
    } else if (Array.isArray(v)) {
      v.forEach((c, i) => walk(c, `${path}[${i}]`, depth + 1));
    } else if (typeof v === 'object' && v !== null) {
      for (const k of Object.keys(v)) {
        const p = path === '' ? k : `${path}.${k}`;
        if (FORBIDDEN.has(k)) errors.add(persistenceError(p, 'no key named __proto__, constructor or prototype', JSON.stringify(k)));
        else walk((v as Record<string, unknown>)[k], p, depth + 1);
      }
    }
  };
  walk(u, '', 0);
  return errors.size() > 0 ? E.left(errors.list()) : E.right(u);
};
