export * from './loss.js';
export * from './define.js';
export * from './mse.js';
export * from './mae.js';
export * from './huber.js';
export * from './softmax-cross-entropy.js';
export * from './binary-cross-entropy.js';
export * from './categorical-cross-entropy.js';
