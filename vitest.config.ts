import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test file, the `*.slow.test.ts` suites included (npm test and CI run them all; run one
    // with `npx vitest run <file>`). The browser end-to-end run has its own config.
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // The default output, then each file's time, slowest first (the table CONTRIBUTING.md quotes).
    reporters: ['default', './test/support/durations-reporter.ts'],
  },
});
