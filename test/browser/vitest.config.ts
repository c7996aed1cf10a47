import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The end-to-end browser test has its own config: it is not part of `vitest run`'s default
// include (test/**/*.test.ts), since it needs Chromium. Run it with `npm run test:browser`.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/browser/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
