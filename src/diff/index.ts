export * from './grad.js';
export * from './jacobian.js';
export * from './finite-difference.js';
export * from './grad-check.js';
