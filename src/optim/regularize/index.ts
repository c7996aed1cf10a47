export * from './mask.js';
export * from './l2.js';
export * from './l1.js';
export * from './sparsity.js';
export type { Penalty } from './penalty.js';
