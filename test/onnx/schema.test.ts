// The wire format is protobufjs's, from ONNX's published schema: src/onnx/schema.ts must be exactly
// what protobufjs's compiler makes of src/onnx/onnx.proto (no hand edits), and the schema must
// describe the messages foldnet writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxSchema } from '../../src/onnx/schema.js';

const schemaFile = new URL('../../src/onnx/schema.ts', import.meta.url);
const check = (file?: string): { status: number | null; stderr: string } =>
  spawnSync(process.execPath, ['scripts/onnx-schema.mjs', '--check', ...(file === undefined ? [] : [file])], { encoding: 'utf8' });

describe('the ONNX schema', () => {
  it('src/onnx/schema.ts is the output of pbjs on src/onnx/onnx.proto', () => {
    expect(check().status).toBe(0);
  });

  it('the check can fail: a hand-edited copy of schema.ts is found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foldnet-schema-'));
    try {
      const copy = join(dir, 'schema.ts');
      writeFileSync(copy, readFileSync(schemaFile, 'utf8').replace('"ir_version"', '"ir_versions"'));
      const r = check(copy);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/is not the output of scripts\/onnx-schema\.mjs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has ModelProto with the fields foldnet writes, under their ONNX names', () => {
    const onnx = (onnxSchema.nested?.['onnx'] as { nested: Record<string, { fields?: Record<string, unknown> }> }).nested;
    expect(Object.keys(onnx['ModelProto']!.fields!)).toEqual(expect.arrayContaining(['ir_version', 'opset_import', 'producer_name', 'graph']));
    expect(Object.keys(onnx['TensorProto']!.fields!)).toEqual(expect.arrayContaining(['dims', 'data_type', 'raw_data', 'float_data', 'double_data']));
  });
});
