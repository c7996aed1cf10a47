/**
 * A network described from its own values: the layer tree read from `spec` (kinds, dims,
 * configuration, children) and the parameter record `init` gives (or the caller's), so every
 * count is what the layer really holds. `summary` prints it and `graphSvg` draws it.
 *
 * @module
 */
import * as Params from '../params.js';
import { key } from '../random.js';
import type { LayerSpec, Part } from '../layer/layer.js';
import { appliedOrder } from '../layer/compose.js';
import type { ParamMask } from '../optim/regularize/mask.js';

/**
 * The size of the data a layer takes or gives per example: a width (`8`) or, for layers over
 * shaped data, a shape tuple (`[28, 28, 1]`, channels last).
 *
 * @since 0.2.0
 * @category plot
 */
export type Dims = number | readonly number[];

/**
 * One layer of a described network, in the order the layers run.
 *
 * @since 0.2.0
 * @category plot
 */
export interface LayerInfo {
  /** Where it sits: argument positions from the root (`[2, 0]`: the root's 3rd argument's 1st). */
  readonly path: readonly number[];
  /** Nesting depth: 0 for the root's own children. */
  readonly depth: number;
  readonly kind: string;
  /** Input and output dims; for a shape-polymorphic layer, the dims it takes from its neighbours (`null` when nothing fixes them). */
  readonly input: Dims | null;
  readonly output: Dims | null;
  /** True when the layer is shape-polymorphic (an activation) and took its width from its neighbours. */
  readonly polymorphic: boolean;
  /** Number of parameters (all leaves of its parameter record, nested ones included). */
  readonly params: number;
  /** How many of them are trainable under the mask given to {@link describeNet}. */
  readonly trainable: number;
  readonly config: Readonly<Record<string, number | string | boolean>>;
  /** The layers inside a composite, in the order they run (empty for a plain layer). */
  readonly children: readonly LayerInfo[];
}

/**
 * Options of {@link describeNet}.
 *
 * @since 0.2.0
 * @category plot
 * @inline
 */
export interface DescribeOptions {
  /** The parameters to count (default: `net.init(key(0))`; the counts do not depend on the values). */
  readonly params?: unknown;
  /** Which parameter leaves are trained (paths as `params.leaves` spells them); default every leaf. */
  readonly trainable?: ParamMask;
  /** The input dims to assume when the net itself is shape-polymorphic (`sequential(relu, tanh)`). */
  readonly input?: Dims;
}

/**
 * A described network: the root layer and its children.
 *
 * @since 0.2.0
 * @category plot
 */
export interface NetInfo {
  readonly root: LayerInfo;
}

const isDims = (u: unknown): u is Dims =>
  (typeof u === 'number' && Number.isFinite(u)) || (Array.isArray(u) && u.length > 0 && u.every((v) => typeof v === 'number' && Number.isFinite(v)));

/** The dims a spec field holds (a width or a shape tuple), or `null` for a polymorphic layer. */
const dimsOf = (u: unknown): Dims | null => (isDims(u) ? u : null);

/**
 * `8` → `8`, `[28, 28, 1]` → `28×28×1`.
 *
 * @since 0.2.0
 * @category plot
 */
export const formatDims = (d: Dims | null): string => (d === null ? '?' : typeof d === 'number' ? String(d) : d.join('×'));


const countLeaves = (p: unknown, prefix: string, trainable: ParamMask): { params: number; trainable: number } =>
  Params.leaves(p).reduce(
    (acc, { path, tensor }) => {
      const full = prefix === '' ? path : path === '' ? prefix : `${prefix}.${path}`;
      const n = tensor.data.length;
      return { params: acc.params + n, trainable: acc.trainable + (trainable(full, tensor) ? n : 0) };
    },
    { params: 0, trainable: 0 },
  );

const describeSpec = (spec: LayerSpec, p: unknown, path: readonly number[], depth: number, flowing: Dims | null, mask: ParamMask): LayerInfo => {
  const ownIn = dimsOf(spec.inputDim);
  const ownOut = dimsOf(spec.outputDim);
  const polymorphic = ownIn === null && ownOut === null;
  const input = ownIn ?? flowing;
  // A composite's parameters are the tuple of its children's, in argument order.
  const kids = spec.children ?? [];
  const isComposite = kids.length > 0 && Array.isArray(p) && p.length === kids.length;
  let children: LayerInfo[] = [];
  let output = ownOut ?? input;
  if (isComposite) {
    let cur = input;
    children = appliedOrder(spec).map((i) => {
      const c = describeSpec(kids[i]!, (p as readonly unknown[])[i], [...path, i], depth + 1, cur, mask);
      cur = c.output;
      return c;
    });
    output = ownOut ?? cur;
  }
  const counts = countLeaves(p, path.join('.'), mask);
  return Object.freeze({
    path, depth, kind: spec.kind, input, output, polymorphic,
    params: counts.params, trainable: counts.trainable,
    config: spec.config ?? {},
    children: Object.freeze(children),
  });
};

/**
 * Describes a network from its values: the layers of `net.spec` in the order they run, each with
 * its dims (a shape-polymorphic layer at the width it takes there), its parameter count read from
 * the parameter record, and its children. The root is `net` itself at depth −1; a plain layer is
 * also its root's only child, so every net has at least one layer to show.
 *
 * @example
 * describeNet(sequential(dense(4, 8), relu, dense(8, 2))).root.children.map((l) => l.params) // [40, 0, 18]
 * @since 0.2.0
 * @category plot
 */
export const describeNet = (net: Part, options: DescribeOptions = {}): NetInfo => {
  const p = options.params === undefined ? net.init(key(0)) : options.params;
  const root = describeSpec(net.spec, p, [], -1, options.input ?? null, options.trainable ?? (() => true));
  // A plain layer (no children) is its own one and only layer.
  return Object.freeze({ root: root.children.length > 0 ? root : Object.freeze({ ...root, children: Object.freeze([{ ...root, depth: 0 }]) }) });
};

/**
 * The layers of a described net depth first, in the order they run (composites before their children).
 *
 * @since 0.2.0
 * @category plot
 */
export const layersOf = (info: LayerInfo): readonly LayerInfo[] => info.children.flatMap((c) => [c, ...layersOf(c)]);
