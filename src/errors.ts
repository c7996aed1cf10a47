/**
 * What every boundary's error lists share: a cap on how many problems are listed (the rest are
 * counted), and how an untrusted value or a long text is shown inside a message. The data
 * boundary (`DataError`, in `data/`) and loading (`PersistenceError`, in `io/`) build their own records
 * on these, and `formatErrors` prints either kind.
 *
 * @module
 */

/**
 * The most problems a decoder or loader lists (the rest are counted, not listed): enough to show
 * a pattern, few enough that a hostile input cannot make an error list (or its text) huge.
 *
 * @since 0.2.0
 * @category model
 */
export const MAX_ERRORS = 100;

/**
 * A list of problems under construction that keeps the first `max` and counts the rest. `list()`
 * is the frozen list: the kept problems, then (if any were dropped) `summary(m)` for the `m`
 * others. Appending never spreads a list into arguments, so any number of problems is safe.
 *
 * @since 0.2.0
 * @category constructors
 */
export const errorList = <Err>(summary: (more: number) => Err, max: number = MAX_ERRORS) => {
  const kept: Err[] = [];
  let more = 0;
  const add = (e: Err): void => {
    if (kept.length < max) kept.push(e);
    else more += 1;
  };
  return Object.freeze({
    add,
    /** Adds every problem of another (possibly capped) list; its summary entry adds its `more` to the count. */
    addAll: (es: ReadonlyArray<Err & { readonly more?: number }>): void => {
      for (const e of es) {
        if (e.more === undefined) add(e);
        else more += e.more;
      }
    },
    /** The number of problems found so far (listed or not). */
    size: (): number => kept.length + more,
    list: (): ReadonlyArray<Err> => Object.freeze(more > 0 ? [...kept, summary(more)] : [...kept]),
  });
};

/** What `errorList` returns. @since 0.2.0 @category model */
export type ErrorList<Err> = ReturnType<typeof errorList<Err>>;

const MAX_GOT = 40;
const MAX_PART = 200;

const MAX_LINE = 1000;

/** Cuts text for a message (at 200 characters by default), so a hostile header or path cannot blow a message up. @internal */
export const clip = (s: string, max: number = MAX_PART): string => (s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s);

/**
 * A short, printable description of an untrusted value for the `got` field: strings are quoted
 * and cut at 40 characters; arrays and objects are summarised by size.
 *
 * @since 0.1.0
 * @category destructors
 */
export const describe = (u: unknown): string => {
  if (typeof u === 'string') {
    const s = u.length > MAX_GOT ? `${u.slice(0, MAX_GOT)}…` : u;
    return u === '' ? 'an empty cell' : JSON.stringify(s);
  }
  if (typeof u === 'number') return Object.is(u, -0) ? '-0' : String(u);
  if (u === null) return 'null';
  if (u === undefined) return 'nothing';
  if (Array.isArray(u)) return `a list of ${u.length}`;
  if (typeof u === 'object') return 'an object';
  return `${typeof u} ${String(u)}`;
};

/**
 * All messages, one per line, under a head line counting every problem (including those a capped
 * list only counts). With `max` (default 100, `MAX_ERRORS`), only the first `max` are listed and a
 * last line counts the rest. Never throws, whatever the list's length.
 *
 * @example
 * pipe(readCsv(text, { features: ['a', 'b'], target: 'y', task: 'regression' }), E.mapLeft(formatErrors))
 * @since 0.1.0
 * @category destructors
 */
export const formatErrors = (errors: ReadonlyArray<{ readonly message: string; readonly more?: number }>, max: number = MAX_ERRORS): string => {
  const listed = errors.filter((e) => e.more === undefined);
  const total = errors.reduce((n, e) => n + (e.more ?? 1), 0);
  const cap = Number.isNaN(max) ? MAX_ERRORS : Math.max(0, Math.min(listed.length, max));
  const shown = listed.slice(0, cap);
  const rest = total - shown.length;
  const head = `${total} problem${total === 1 ? '' : 's'}:`;
  return [head, ...shown.map((e) => `  - ${clip(e.message, MAX_LINE)}`), ...(rest > 0 ? [`  … and ${rest} more`] : [])].join('\n');
};
