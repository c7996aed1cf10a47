// ONNX's own checker (Debian's python3-onnx: onnx.checker.check_model with full_check, which also
// runs shape inference) accepts every file the ONNX suites export. Skipped, saying why, only where
// python3-onnx is missing outside CI; CI installs it (.ci/run), and there a missing checker fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { toOnnx } from '../../src/onnx.js';
import { dtypes, exportable, onnxCases, opsets } from './cases.js';

const PYTHON = '/usr/bin/python3';
const hasChecker = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
if (!hasChecker) {
  const why = `ONNX checker suite: ${PYTHON} cannot import onnx (install Debian's python3-onnx)`;
  if (process.env['CI']) throw new Error(`${why}; CI must have it`);
  console.warn(`${why}: skipped`);
}

describe.runIf(hasChecker)("ONNX's checker accepts every exported file", () => {
  it('check_model(full_check=True) passes on every case, dtype and opset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foldnet-onnx-'));
    try {
      const files = onnxCases().flatMap((c, i) =>
        dtypes.flatMap((dtype) =>
          opsets.filter((opset) => exportable(c, dtype, opset)).map((opset) => {
            const r = toOnnx(c.net, c.params, { dtype, opset });
            if (E.isLeft(r)) throw new Error(r.left.message);
            const file = join(dir, `case${i}-${dtype}-opset${opset}.onnx`);
            writeFileSync(file, r.right);
            return file;
          }),
        ),
      );
      const out = execFileSync(PYTHON, ['scripts/onnx-check.py', ...files], { encoding: 'utf8' });
      expect(out.trim().split('\n').filter((l) => l.startsWith('ok '))).toHaveLength(files.length);
      expect(files.length).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the check can fail: a model with an operator ONNX does not have is rejected', () => {
    const c = onnxCases()[0]!;
    const r = toOnnx(c.net, c.params, { dtype: 'float32' });
    if (E.isLeft(r)) throw new Error(r.left.message);
    // every "Gemm" (the operator and the names made from it) spelled "Gemx": the same byte lengths
    const bytes = Buffer.from(Buffer.from(r.right).toString('latin1').replaceAll('Gemm', 'Gemx'), 'latin1');
    expect(bytes.length).toBe(r.right.length);
    const dir = mkdtempSync(join(tmpdir(), 'foldnet-onnx-'));
    try {
      writeFileSync(join(dir, 'bad.onnx'), bytes);
      const run = spawnSync(PYTHON, ['scripts/onnx-check.py', join(dir, 'bad.onnx')], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/REJECTED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
