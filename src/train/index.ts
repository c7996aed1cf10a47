export * from './penalty.js';
