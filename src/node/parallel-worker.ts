/**
 * The worker thread of `fitParallel`: rebuilds the run's gradient from its description (the
 * net's stages, the loss's recipe) and computes its share of every batch's shard gradients into
 * shared memory, woken and answering through `Atomics` on a shared control block.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lossKernelOf } from '../lowering.js';
import { lossOfRecipe } from '../loss/rebuild.js';
import { unsafeMat } from '../tensor/mat.js';
import { compileShardGradient } from '../train/engine.js';
import { shardCount, shardsOfThread } from '../train/shards.js';
import { CTRL, STOP, type WorkerSetup } from './parallel-protocol.js';

const setup = workerData as WorkerSetup;
const { ctrl, thread, threads, shardSize: S } = setup;

const run = (): void => {
  const kernel = lossKernelOf(lossOfRecipe(setup.run.loss))!;
  const gradient = compileShardGradient(setup.run.stages, setup.run.inputDim, setup.params, kernel, setup.stepKey, S);
  if (gradient === undefined) throw new Error('fitParallel: the worker could not compile the net’s stages');
  const n = gradient.size;
  const data = { x: unsafeMat(setup.rows, setup.run.inputDim, setup.x), y: unsafeMat(setup.rows, setup.outputDim, setup.y) };
  parentPort!.postMessage({ ready: true });
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, CTRL.SEQ, seen);
    seen = Atomics.load(ctrl, CTRL.SEQ);
    if (ctrl[CTRL.CMD] === STOP) return;
    try {
      const rows = ctrl[CTRL.ROWS]!;
      const k0 = ctrl[CTRL.K0]!;
      const k1 = Math.min(ctrl[CTRL.K1]!, shardCount(rows, S));
      const [a, b] = shardsOfThread(thread, threads, k1 - k0);
      if (b > a) {
        const theta = setup.theta.subarray(ctrl[CTRL.CUR]! * n, (ctrl[CTRL.CUR]! + 1) * n);
        gradient.shards(theta, data, setup.order, ctrl[CTRL.START]!, rows, ctrl[CTRL.STEP]!, k0 + a, k0 + b, setup.grads.subarray(a * n), setup.losses.subarray(a));
      }
    } catch (e) {
      parentPort!.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      Atomics.store(ctrl, CTRL.FAILED, thread);
    }
    Atomics.add(ctrl, CTRL.DONE, 1);
    Atomics.notify(ctrl, CTRL.DONE);
  }
};

try {
  run();
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}
parentPort!.close();
