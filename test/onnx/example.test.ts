// `npm run example:onnx` trains on iris, exports, runs the file in ONNX Runtime and imports it back:
// ONNX Runtime's class agrees with foldnet's for every test flower, and the probabilities are close.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('example:onnx', () => {
  it('prints foldnet and ONNX Runtime side by side, agreeing on every class, and imports the file back', () => {
    const out = execFileSync(process.execPath, [`${root}/node_modules/tsx/dist/cli.mjs`, 'examples/onnx.ts'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/foldnet \(float64\) and ONNX Runtime \(float32\) side by side/);
    const [, diff, same, total] = /largest probability difference (\S+); same class for (\d+)\/(\d+)/.exec(out) ?? [];
    expect(Number(diff)).toBeLessThan(1e-5);
    expect(same).toBe(total);
    expect(Number(/probabilities within (\S+) of the trained net's/.exec(out)?.[1])).toBeLessThan(1e-5);
  });
});
