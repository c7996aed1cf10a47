import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const src = (file: string): string => fileURLToPath(new URL(`../../src/${file}`, import.meta.url));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Bundles an entry for the browser; resolves to the build errors and the bundled input paths. */
const bundleForBrowser = async (entry: string): Promise<{ readonly errors: readonly string[]; readonly inputs: readonly string[] }> => {
  try {
    const r = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    return { errors: [], inputs: Object.keys(r.metafile.inputs) };
  } catch (e) {
    const errs = (e as { errors?: readonly { text: string }[] }).errors ?? [{ text: String(e) }];
    return { errors: errs.map((x) => x.text), inputs: [] };
  }
};

describe('the package root is browser-safe', () => {
  it('bundles src/index.ts for the browser without any Node built-in (fs, path, …)', async () => {
    const { errors, inputs } = await bundleForBrowser(src('index.ts'));
    expect(errors).toEqual([]);
    expect(inputs.filter((i) => builtins.has(i) || i.startsWith('node:'))).toEqual([]);
    // File reading lives in the separate Node entry point, never reached from the root.
    expect(inputs.filter((i) => /(^|\/)src\/node\.ts$/.test(i))).toEqual([]);
    // ONNX is its own entry point: the protobuf library stays out of the core bundle
    expect(inputs.filter((i) => /protobufjs|(^|\/)src\/onnx/.test(i))).toEqual([]);
  });

  it('bundles the ONNX entry point, src/onnx.ts, for the browser too', async () => {
    const { errors, inputs } = await bundleForBrowser(src('onnx.ts'));
    expect(errors).toEqual([]);
    expect(inputs.filter((i) => builtins.has(i) || i.startsWith('node:'))).toEqual([]);
    expect(inputs.some((i) => /protobufjs/.test(i))).toBe(true);
  });

  it.runIf(existsSync(src('node.ts')))('the check can fail: the Node entry point does not bundle for the browser', async () => {
    const { errors } = await bundleForBrowser(src('node.ts'));
    expect(errors.join('\n')).toMatch(/node|built into/i);
  });
});
