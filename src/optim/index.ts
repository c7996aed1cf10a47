export * from './transform.js';
export * from './schedule.js';
export * from './chain.js';
export * from './primitives.js';
export * from './recipes.js';
export * from './regularize/index.js';
