import { describe, expect, it } from 'vitest';
import { assembleGemm } from '../../../bench/build-wasm.js';
import { gemmModuleBytes } from '../../../src/tensor/wasm/arena.js';
import { gemmWat } from '../../../src/tensor/wasm/gemm-wat.js';

describe('the committed SIMD module', () => {
  it('is exactly what wabt assembles from the generator in the repo (npm run build:wasm)', async () => {
    const fresh = await assembleGemm();
    expect(Buffer.from(gemmModuleBytes()).equals(Buffer.from(fresh))).toBe(true);
  });

  it('is generated text with the 4×4 f64x2 tile and its edge tiles', () => {
    const wat = gemmWat();
    expect(wat).toContain('(export "gemm")');
    expect(wat.match(/v128\.load64_splat/g)?.length).toBeGreaterThanOrEqual(4);
    expect(wat).toContain('f64x2.pmax');
  });
});
