export * from './scale.js';
export * from './chart.js';
export * from './history.js';
