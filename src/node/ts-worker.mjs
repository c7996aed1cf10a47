// Starts fitParallel's worker from TypeScript sources (tests, the bench, the examples run with
// tsx): registers tsx in the thread, then imports the worker module. A built package starts the
// compiled worker directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
