/**
 * `save`/`load` of a model's parameters: versioned JSON holding the architecture's signature
 * (layer kinds, dims, configuration) and the parameter values, read back against the model the
 * caller builds in code (structure in code, values in the file).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { key } from '../random.js';
import type { Layer, LayerSpec } from '../layer/layer.js';
import type { ErrorList } from '../errors.js';
import { describeJson, persistenceError, persistenceErrorList, type PersistenceError, type PersistenceErrors } from './errors.js';
import { parseJson } from './json.js';
import { countNumbers, decodeTree, encodeTree, type PathNamer } from './tree.js';

/** The file format's name and the versions this build reads. @since 0.1.0 @category model */
export const FORMAT = 'foldnet';
/** The version `save` writes. @since 0.1.0 @category model */
export const VERSION = 1;

/** Options of {@link load}, `loadState`, {@link readSpec} and `readSplits`. @since 0.1.0 @category model @inline */
export interface LoadOptions {
  /**
   * Longest text accepted, checked before parsing (a positive number; `Infinity` lifts the bound,
   * `NaN` is refused). Default: 1 MB plus 32 characters per number the reader expects
   * (`readSpec` and `readSplits`, with nothing to size against, expect at most 500 000 numbers).
   */
  readonly maxChars?: number;
}

/**
 * The one default bound of every reader of untrusted JSON: 1 MB plus 32 characters per number
 * expected (a saved double takes at most 24). `load` and `loadState` expect the model's or state's
 * own count; `readSpec` and `readSplits`, which have nothing to size against, expect at most
 * `UNSIZED_NUMBERS`.
 *
 * @since 0.2.0
 * @category model
 */
export const defaultMaxChars = (numbers: number): number => 32 * numbers + 1_000_000;

/**
 * How many numbers `readSpec` and `readSplits` admit by default (≈ 17 MB of text): a model of half
 * a million parameters, or splits over as many indices. Pass `maxChars` for a bigger file.
 *
 * @since 0.2.0
 * @category model
 */
export const UNSIZED_NUMBERS = 500_000;

/** The fields each kind of file holds; any other field is refused, never silently ignored. */
const FIELDS = { params: ['format', 'version', 'kind', 'spec', 'params'], state: ['format', 'version', 'kind', 'state'] } as const;
const SPEC_FIELDS = new Set(['kind', 'inputDim', 'outputDim', 'inputShape', 'outputShape', 'config', 'children']);

/** Lists every field of `u` outside `allowed`. @internal */
export const unexpectedFields = (u: Record<string, unknown>, allowed: ReadonlySet<string>, path: string, errors: ErrorList<PersistenceError>): void => {
  for (const k of Object.keys(u)) {
    if (!allowed.has(k)) errors.add(persistenceError(path === '' ? k : `${path}.${k}`, `no field ${JSON.stringify(k)} (fields: ${[...allowed].join(', ')})`, 'an unexpected field'));
  }
};

/** Config keys that only affect `init`, so a model may load weights saved with another value. */
const IGNORED_CONFIG = new Set(['init']);

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const layerLabel = (prefix: string, spec: { kind: string }): string => `layer ${prefix} (${spec.kind})`;

/**
 * Names parameter paths after the layers: `"1.w"` in a `sequential` becomes `"layer 2 (dense) w"`.
 *
 * @since 0.1.0
 * @category destructors
 */
export const paramPathNamer = (spec: LayerSpec, root = 'params'): PathNamer => (path) => {
  const segs = path === '' ? [] : path.split('.');
  let s: LayerSpec = spec;
  const layers: number[] = [];
  let i = 0;
  while (i < segs.length && s.children !== undefined && /^\d+$/.test(segs[i]!) && Number(segs[i]) < s.children.length) {
    layers.push(Number(segs[i]) + 1);
    s = s.children[Number(segs[i])]!;
    i++;
  }
  const head = layers.length === 0 ? root : layerLabel(layers.join('.'), s);
  const rest = segs.slice(i).join('.').replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
  return rest === '' ? head : `${head} ${rest}`;
};

type SpecLike = { inputDim: unknown; outputDim: unknown; kind: unknown; inputShape?: unknown; outputShape?: unknown };
/** A width, or the shape behind it when the layer has one (`[26, 26, 8]`). */
const side = (dim: unknown, shape: unknown): string =>
  Array.isArray(shape) ? `[${shape.map((v) => describeJson(v)).join(', ')}]` : describeJson(dim);
const dims = (s: SpecLike): string =>
  s.inputDim === null && s.outputDim === null
    ? `${String(s.kind)} (any width)`
    : `${String(s.kind)} ${side(s.inputDim, s.inputShape)}→${side(s.outputDim, s.outputShape)}`;

/** Compares a saved spec with the model's, listing every difference with the layer's name. */
const compareSpec = (saved: unknown, expected: LayerSpec, label: string, prefix: string, errors: ErrorList<PersistenceError>): void => {
  if (!isRecord(saved)) {
    errors.add(persistenceError(label, `a layer spec for ${dims(expected)}`, describeJson(saved)));
    return;
  }
  unexpectedFields(saved, SPEC_FIELDS, label, errors);
  if (
    saved['kind'] !== expected.kind || saved['inputDim'] !== expected.inputDim || saved['outputDim'] !== expected.outputDim ||
    dims(saved as SpecLike) !== dims(expected)
  ) {
    errors.add(persistenceError(label, dims(expected), dims(saved as SpecLike)));
    if (saved['kind'] !== expected.kind) return;
  }
  const cfgE = expected.config ?? {};
  const cfgS = isRecord(saved['config']) ? saved['config'] : {};
  const keys = [...new Set([...Object.keys(cfgE), ...Object.keys(cfgS)])].filter((k) => !IGNORED_CONFIG.has(k));
  keys.forEach((k) => {
    if (cfgE[k] !== cfgS[k]) errors.add(persistenceError(`${label} config.${k}`, describeJson(cfgE[k]), describeJson(cfgS[k])));
  });
  const ce = expected.children ?? [];
  const cs = saved['children'] === undefined ? [] : saved['children'];
  if (!Array.isArray(cs) || cs.length !== ce.length) {
    errors.add(persistenceError(label, `${ce.length} layers`, Array.isArray(cs) ? `${cs.length} layers` : describeJson(cs)));
    return;
  }
  ce.forEach((c, i) => {
    const p = prefix === '' ? `${i + 1}` : `${prefix}.${i + 1}`;
    compareSpec(cs[i], c, layerLabel(p, c), p, errors);
  });
};

/** Checks the envelope `{ format, version, kind }` and returns the parsed root object. @internal */
export const readEnvelope = (text: unknown, kind: 'params' | 'state', maxChars: number): E.Either<PersistenceErrors, Record<string, unknown>> =>
  E.chain((u: unknown): E.Either<PersistenceErrors, Record<string, unknown>> => {
    if (!isRecord(u)) return E.left([persistenceError('', 'a foldnet file (a JSON object)', describeJson(u))]);
    if (u['format'] !== FORMAT) return E.left([persistenceError('format', JSON.stringify(FORMAT), describeJson(u['format']))]);
    if (u['version'] !== VERSION) return E.left([persistenceError('version', `${VERSION} (the versions this build reads)`, describeJson(u['version']))]);
    if (u['kind'] !== kind) return E.left([persistenceError('kind', JSON.stringify(kind), describeJson(u['kind']))]);
    const errors = persistenceErrorList();
    unexpectedFields(u, new Set(FIELDS[kind]), '', errors);
    return errors.size() > 0 ? E.left(errors.list()) : E.right(u);
  })(parseJson(text, maxChars));

const guard = <A>(f: () => E.Either<PersistenceErrors, A>): E.Either<PersistenceErrors, A> => {
  try {
    return f();
  } catch (e) {
    return E.left([persistenceError('', 'a loadable file', `an internal error (${String(e)})`)]);
  }
};

/**
 * Saves parameters as versioned JSON: `{ format: "foldnet", version: 1, kind: "params", spec,
 * params }`, where `spec` is `model.spec` (kinds, dims, configuration, children) and every double
 * is written in its shortest round-trip form (so `load` gives back the same bits, `-0` and
 * subnormals included). A file that `load(model, text)` would refuse is never written: the text is
 * read back with `load` itself, so non-finite parameters (a diverged run) or configuration
 * (`leakyRelu(NaN)`), nesting deeper than `load` reads, `__proto__`/`constructor`/`prototype` keys,
 * parameters of another model and a file over the default size bound all give a `Left` naming each
 * problem.
 *
 * @example
 * pipe(save(net, params), E.map((json) => writeFileSync('model.json', json)))
 * @since 0.1.0
 * @category persistence
 */
export const save = <I extends number, O extends number, P>(model: Layer<I, O, P>, params: P): E.Either<PersistenceErrors, string> =>
  guard(() =>
    pipe(
      encodeTree(model.spec, (p) => `model spec${p === '' ? '' : ` ${p}`}`),
      E.chain((spec) => E.map((tree: string) => `{"format":${JSON.stringify(FORMAT)},"version":${VERSION},"kind":"params","spec":${spec},\n"params":${tree}}\n`)(encodeTree(params, paramPathNamer(model.spec)))),
      // One refusal check serves both directions: what load refuses, save refuses.
      E.chain((text) => E.map(() => text)(load(model, text))),
    ),
  );

/**
 * Loads parameters saved by {@link save} into the structure of `model`. `Left` lists every
 * problem by place: malformed JSON, another format or version, `__proto__`/`constructor`/
 * `prototype` keys, non-finite numbers, a different architecture (`"layer 2 (dense): expected
 * dense 8→6, got dense 8→5"`), and each parameter of the wrong shape (`"layer 2 (dense) w:
 * expected 8×6, got 8×5"`). Sizes are checked before anything is allocated: the text length
 * against the model's size, then each tensor's declared dims against the model's. Never throws.
 *
 * @example
 * pipe(readFileSync('model.json', 'utf8'), (json) => load(net, json), E.map((p) => net.forward(p, x)))
 * @since 0.1.0
 * @category persistence
 */
export const load = <I extends number, O extends number, P>(model: Layer<I, O, P>, text: unknown, options: LoadOptions = {}): E.Either<PersistenceErrors, P> =>
  guard(() => {
    const like = model.init(key(0));
    const maxChars = options.maxChars ?? defaultMaxChars(countNumbers(like));
    return E.chain((root: Record<string, unknown>): E.Either<PersistenceErrors, P> => {
      const errors = persistenceErrorList();
      compareSpec(root['spec'], model.spec, 'model', '', errors);
      const params = decodeTree(like, root['params'], paramPathNamer(model.spec));
      if (E.isLeft(params)) errors.addAll(params.left);
      return errors.size() > 0 ? E.left(errors.list()) : params;
    })(readEnvelope(text, 'params', maxChars));
  });

const specOf = (u: unknown, path: string, errors: ErrorList<PersistenceError>): LayerSpec | null => {
  if (!isRecord(u)) return (errors.add(persistenceError(path, 'a layer spec', describeJson(u))), null);
  unexpectedFields(u, SPEC_FIELDS, path, errors);
  const { kind, inputDim, outputDim, inputShape, outputShape, config, children } = u;
  const shape = (v: unknown, name: string): readonly number[] | undefined => {
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)) return Object.freeze([...(v as number[])]);
    errors.add(persistenceError(`${path}.${name}`, 'a list of positive integers', describeJson(v)));
    return undefined;
  };
  const shapes = { inputShape: shape(inputShape, 'inputShape'), outputShape: shape(outputShape, 'outputShape') };
  const dim = (d: unknown): boolean => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 1);
  if (typeof kind !== 'string') errors.add(persistenceError(`${path}.kind`, 'a string', describeJson(kind)));
  if (!dim(inputDim) || !dim(outputDim)) errors.add(persistenceError(path, 'dims that are positive integers or null', `${describeJson(inputDim)}→${describeJson(outputDim)}`));
  const cfg: Record<string, number | string | boolean> = {};
  if (config !== undefined) {
    if (!isRecord(config)) errors.add(persistenceError(`${path}.config`, 'an object', describeJson(config)));
    else for (const [k, v] of Object.entries(config)) {
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') cfg[k] = v;
      else errors.add(persistenceError(`${path}.config.${k}`, 'a number, string or boolean', describeJson(v)));
    }
  }
  let kids: LayerSpec[] | undefined;
  if (children !== undefined) {
    if (!Array.isArray(children)) errors.add(persistenceError(`${path}.children`, 'a list', describeJson(children)));
    else kids = children.map((c, i) => specOf(c, `${path}.children[${i}]`, errors)!);
  }
  return Object.freeze({
    kind: kind as string,
    inputDim: inputDim as number | null,
    outputDim: outputDim as number | null,
    ...(shapes.inputShape === undefined ? {} : { inputShape: shapes.inputShape }),
    ...(shapes.outputShape === undefined ? {} : { outputShape: shapes.outputShape }),
    ...(config === undefined ? {} : { config: Object.freeze(cfg) }),
    ...(kids === undefined ? {} : { children: Object.freeze(kids) }),
  });
};

/**
 * The architecture signature stored in a saved file, decoded (without the parameters). Lets a
 * fresh process rebuild layers whose configuration is data, e.g.
 * `standardizeFromSpec(4, spec.children[0])`. Never throws.
 *
 * @since 0.1.0
 * @category persistence
 */
export const readSpec = (text: unknown, options: LoadOptions = {}): E.Either<PersistenceErrors, LayerSpec> =>
  guard(() =>
    E.chain((root: Record<string, unknown>): E.Either<PersistenceErrors, LayerSpec> => {
      const errors = persistenceErrorList();
      const spec = specOf(root['spec'], 'spec', errors);
      return errors.size() > 0 || spec === null ? E.left(errors.list()) : E.right(spec);
    })(readEnvelope(text, 'params', options.maxChars ?? defaultMaxChars(UNSIZED_NUMBERS))),
  );
