/**
 * Pictures of training as pure functions returning SVG text: axis scales, line charts, and the
 * training-history chart. No DOM and no Node dependency, so they work in files, pages and tests.
 *
 * @module
 */
export * from './scale.js';
export * from './chart.js';
export * from './history.js';
// Pictures of the network: its summary table, its computational graph, Jacobian heatmaps.
export { describeNet, layersOf, formatDims, type Dims, type LayerInfo, type NetInfo, type DescribeOptions } from './describe.js';
export { summary, type SummaryOptions } from './summary.js';
export { graphSvg, realSpace, type GraphOptions } from './graph.js';
export { jacobianSvg, divergingColor, type HeatmapPanel, type HeatmapOptions } from './heatmap.js';
