/**
 * How the translators name a layer: in messages by its position (`"layer 2.3 (dense)"`, as
 * `load` does), in the graph by a prefix of its nodes and constants (`"layer2.3"`).
 *
 * @module
 */
import type { Part } from '../layer/layer.js';

/** `"layer 2.3 (dense)"`, or `"model (dense)"` for a net that is one layer. @internal */
export const layerLabel = (position: readonly number[], layer: Part | undefined): string => {
  const kind = typeof layer?.kind === 'string' ? layer.kind.slice(0, 60) : 'not a layer';
  return position.length === 0 ? `model (${kind})` : `layer ${position.join('.')} (${kind})`;
};

/** The prefix of a layer's node and constant names: `"layer2.3"`, or `"model"`. @internal */
export const nodePrefix = (position: readonly number[]): string => (position.length === 0 ? 'model' : `layer${position.join('.')}`);

/** Why `net` cannot be the whole model of a graph: not a layer of fixed widths (untyped code only). @internal */
export const notFixedWidth = (net: unknown): string | undefined => {
  const l = net as { inputDim?: unknown; outputDim?: unknown } | null;
  return typeof l === 'object' && l !== null && Number.isInteger(l.inputDim) && Number.isInteger(l.outputDim)
    ? undefined
    : 'a layer of fixed widths (fix a polymorphic one with at(n))';
};
