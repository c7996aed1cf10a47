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
import { claimShard, CTRL, finishShard, STOP, type WorkerSetup } from './parallel-protocol.js';

const setup = workerData as WorkerSetup;
const { ctrl, claims, thread, shardSize: S } = setup;

const run = (): void => {
  const kernel = lossKernelOf(lossOfRecipe(setup.run.loss))!;
  const gradient = compileShardGradient(setup.run.stages, setup.run.inputDim, setup.params, kernel, setup.stepKey, S);
  if (gradient === undefined) throw new Error('fitParallel: the worker could not compile the net’s stages');
  const n = gradient.size;
  const finish = finishShard(setup, n);
  const data = { x: unsafeMat(setup.rows, setup.run.inputDim, setup.x), y: unsafeMat(setup.rows, setup.outputDim, setup.y) };
  parentPort!.postMessage({ ready: true });
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, CTRL.SEQ, seen);
    seen = Atomics.load(ctrl, CTRL.SEQ);
    if (Atomics.load(ctrl, CTRL.CMD) === STOP) return;
    // the round's fields, read before claiming (a claim fails once the next round is opened)
    const step = Atomics.load(ctrl, CTRL.STEP);
    const start = Atomics.load(ctrl, CTRL.START);
    const rows = Atomics.load(ctrl, CTRL.ROWS);
    const cur = Atomics.load(ctrl, CTRL.CUR);
    const k0 = Atomics.load(ctrl, CTRL.K0);
    const count = Atomics.load(ctrl, CTRL.K1) - k0;
    const theta = setup.theta.subarray(cur * n, (cur + 1) * n);
    try {
      gradient.shards(theta, data, setup.order, start, rows, step, k0, () => claimShard(claims, seen, count), (j, loss, g) => finish(j, loss, g, seen));
    } catch (e) {
      // the shard this thread had claimed counts as finished, so the main thread stops waiting and reports the cause
      parentPort!.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      Atomics.store(ctrl, CTRL.FAILED, thread);
      Atomics.add(ctrl, CTRL.FINISHED, 1);
      Atomics.notify(ctrl, CTRL.FINISHED);
    }
  }
};

try {
  run();
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}
parentPort!.close();
