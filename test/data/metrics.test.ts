import { describe, expect, it } from 'vitest';
import { fromRows } from '../../src/index.js';
import { accuracy, classificationReport, confusionMatrix, logLoss, meanAbsoluteError, r2, rmse } from '../../src/index.js';

describe('classification metrics against hand-computed values', () => {
  const truth = [0, 0, 1, 1, 2, 2];
  const pred = [0, 1, 1, 1, 0, 2];
  it('accuracy counts matches over n', () => {
    expect(accuracy(pred, truth)).toBe(4 / 6);
  });
  it('score matrices are read through their row argmax', () => {
    const scores = fromRows([[9, 1, 0], [0, 5, 1], [0, 2, 1], [0, 3, 1], [7, 0, 0], [0, 0, 1]]);
    expect(accuracy(scores, truth)).toBe(4 / 6);
  });
  it('the confusion matrix has truth in rows and predictions in columns', () => {
    expect(confusionMatrix(pred, truth, 3)).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  });
  it('per-class and macro precision, recall and F1', () => {
    const r = classificationReport(pred, truth, 3);
    // class 0: TP 1, predicted 2, support 2 → P = 1/2, R = 1/2, F1 = 1/2
    // class 1: TP 2, predicted 3, support 2 → P = 2/3, R = 1, F1 = 0.8
    // class 2: TP 1, predicted 1, support 2 → P = 1, R = 1/2, F1 = 2/3
    expect(r.perClass.map((c) => [c.precision, c.recall, c.support])).toEqual([[0.5, 0.5, 2], [2 / 3, 1, 2], [1, 0.5, 2]]);
    expect(r.perClass[1]!.f1).toBeCloseTo(0.8, 15);
    expect(r.macro.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 15);
    expect(r.macro.recall).toBeCloseTo(2 / 3, 15);
    expect(r.macro.f1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 15);
    expect(r.accuracy).toBe(4 / 6);
  });
  it('a class never predicted has precision 0 (zero_division = 0)', () => {
    expect(classificationReport([0, 0], [0, 1], 2).perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
  it('log loss is the mean −log p of the true class, clipped at 1e-15', () => {
    const p = fromRows([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0, 0, 1]]);
    expect(logLoss(p, [0, 1, 0])).toBeCloseTo(-(Math.log(0.7) + Math.log(0.8) + Math.log(1e-15)) / 3, 12);
  });
  it('mismatched lengths are a RangeError naming both counts', () => {
    expect(() => accuracy([0, 1], [0])).toThrow('accuracy: 2 predictions for 1 targets');
  });
});

describe('regression metrics against hand-computed values', () => {
  const y = [3, -0.5, 2, 7];
  const yhat = [2.5, 0, 2, 8];
  it('RMSE, MAE and R² (the scikit-learn docs example)', () => {
    expect(meanAbsoluteError(yhat, y)).toBe(0.5);
    expect(rmse(yhat, y)).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(r2(yhat, y)).toBeCloseTo(0.9486081370449679, 15);
  });
  it('accept Mat<n, 1> as well as arrays', () => {
    expect(rmse(fromRows([[2.5], [0], [2], [8]]), fromRows([[3], [-0.5], [2], [7]]))).toBeCloseTo(Math.sqrt(0.375), 15);
  });
  it('R² of constant truth is 1 when exact, else 0', () => {
    expect(r2([1, 1], [1, 1])).toBe(1);
    expect(r2([1, 2], [1, 1])).toBe(0);
  });
});
