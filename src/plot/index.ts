/**
 * Pictures of training as pure functions returning SVG text: axis scales, line charts, and the
 * training-history chart. No DOM and no Node dependency, so they work in files, pages and tests.
 *
 * @module
 */
export * from './scale.js';
export * from './chart.js';
export * from './history.js';
