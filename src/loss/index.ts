export * from './loss.js';
export * from './mse.js';
