export * from './penalty.js';
export * from './types.js';
