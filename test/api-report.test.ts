// The public surface is a reviewed list: api/<entry>.api.txt must be what scripts/api-report.mjs
// reads from the entry points, so a change to the exports cannot land without its report.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const check = (dir?: string): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, ['scripts/api-report.mjs', '--check', ...(dir === undefined ? [] : [dir])], { encoding: 'utf8' });

describe('the API report', () => {
  it('api/ lists exactly the names the entry points export', () => {
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the check can fail: a report missing a name, or naming one that is gone, is out of date and says which', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foldnet-api-'));
    try {
      cpSync('api', dir, { recursive: true });
      const file = join(dir, 'foldnet.api.txt');
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/^fit value$/m);
      writeFileSync(file, text.replace(/^fit value\n/m, '').replace(/^predict value$/m, 'predictChain value'));
      const r = check(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/foldnet\.api\.txt is out of date: the public surface of foldnet changed/);
      expect(r.stderr).toMatch(/^ {2}\+ fit value$/m);
      expect(r.stderr).toMatch(/^ {2}\+ predict value$/m);
      expect(r.stderr).toMatch(/^ {2}- predictChain value$/m);
      expect(r.stderr).toMatch(/npm run api:report/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every entry point has a report, and the core entry point keeps its internals out', () => {
    const core = readFileSync('api/foldnet.api.txt', 'utf8');
    expect(readFileSync('api/foldnet-node.api.txt', 'utf8')).toMatch(/^csvBatches value$/m);
    expect(readFileSync('api/foldnet-onnx.api.txt', 'utf8')).toMatch(/^toOnnx value$/m);
    for (const internal of ['makeStep', 'checkLearningRate', 'stepFor', 'batchRanges', 'encodeTree', 'perturbMat', 'compileProgram', 'holdOut']) {
      expect(core).not.toMatch(new RegExp(`^${internal} `, 'm'));
    }
    // Option bags, reports and optimizer states are passed as literals or received, not named.
    for (const internal of ['EmptyState', 'AdamOptions', 'GridRow', 'ProgressState', 'LeafSparsity', 'CsvOptions', 'Vjp', 'Context']) {
      expect(core).not.toMatch(new RegExp(`^${internal} type$`, 'm'));
    }
  });

  it('the core surface stays under 300 names, and its header counts what it lists', () => {
    const core = readFileSync('api/foldnet.api.txt', 'utf8');
    const header = /^# foldnet: (\d+) public names \((\d+) values, (\d+) types only\)/.exec(core);
    expect(header).not.toBeNull();
    const [total, values, types] = header!.slice(1).map(Number);
    // Top-level names only (a namespace counts as a value; its members, `ops.add`, are not counted).
    const rows = core.split('\n').filter((l) => /^[A-Za-z_$][\w$]* (value|namespace|type)$/.test(l));
    expect(rows.filter((l) => !l.endsWith(' type')).length).toBe(values);
    expect(rows.filter((l) => l.endsWith(' type')).length).toBe(types);
    expect(values + types).toBe(total);
    expect(total).toBeLessThan(300);
  });
});
