export * from './grad.js';
