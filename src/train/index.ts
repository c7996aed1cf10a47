/**
 * Training: batching, the step, epoch and fit folds, early stopping, validation split, k-fold
 * cross-validation and grid search.
 *
 * Execution: `fit` compiles the model, loss, optimizer and penalty it is given into one arena
 * program (`engine.ts`, the interpreter and the only in-place training code) from the lowered
 * forms those values carry (`src/lowering.ts`): a layer's kernel stages (a part without one runs
 * as an opaque stage through its own `forward`/`vjp`), a gradient transformation's in-place update
 * kernel, a loss's summed kernel, a penalty's kernel. The generic immutable step (`makeStep` in
 * `step.ts`) is the reference: the program computes its numbers bit for bit, and `fit` folds it
 * directly when the loss, optimizer or penalty has no lowered form. Both share one refusal check
 * (`refusal`).
 *
 * @module
 */
export * from './penalty.js';
export * from './types.js';
export * from './batches.js';
export * from './step.js';
export { fit, fitEither, fitEpochs, fitEpochsEither } from './fit.js';
export { fitStream, fitStreamEither, fitStreamEpochs, type BatchSource, type StreamOptions } from './fitStream.js';
export { checkFitInputs, checkOrder, type FitInputError } from './check-inputs.js';
export * from './predict.js';
export * from './validationSplit.js';
export * from './objective.js';
export * from './kfold.js';
export * from './crossValidate.js';
export * from './gridSearch.js';
