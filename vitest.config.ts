import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test file, the `*.slow.test.ts` suites included: npm test and CI run them all. A file
    // is named `.slow.` when it takes over 10 s on a loaded 2-core machine; `npm run test:unit:fast`
    // leaves those out. The browser end-to-end run has its own config.
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // The default output, then each file's time, slowest first (the table CONTRIBUTING.md quotes).
    reporters: ['default', './test/support/durations-reporter.ts'],
  },
});
