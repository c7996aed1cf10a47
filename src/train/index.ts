export * from './penalty.js';
export * from './types.js';
export * from './batches.js';
export * from './step.js';
export * from './fit.js';
export * from './predict.js';
export * from './validationSplit.js';
export * from './objective.js';
