/**
 * A vitest reporter that prints, after the run, how long each test file took (importing it plus
 * running its tests), slowest first: every file that took at least 3 s, and every
 * `*.slow.test.ts` file whatever it took. The default reporter still prints the results; this
 * adds the table CONTRIBUTING.md quotes. On 2 busy cores the numbers vary by ±50%.
 */
import type { Reporter, TestModule } from 'vitest/node';

/** Files faster than this are counted, not listed. */
const SHOWN_FROM_MS = 3000;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export default class DurationsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => {
        const d = m.diagnostic();
        return { file: m.relativeModuleId, ms: d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration };
      })
      .sort((a, b) => b.ms - a.ms);
    const shown = rows.filter((r) => r.ms >= SHOWN_FROM_MS || r.file.endsWith('.slow.test.ts'));
    if (shown.length === 0) return;
    const total = rows.reduce((s, r) => s + r.ms, 0);
    const width = Math.max(...shown.map((r) => r.file.length));
    const lines = shown.map((r) => `  ${r.file.padEnd(width)}  ${seconds(r.ms).padStart(7)}${r.file.endsWith('.slow.test.ts') ? '  (slow suite)' : ''}`);
    console.log(
      [`\nTest files by time (import + tests; files under ${seconds(SHOWN_FROM_MS)} not listed; ${rows.length} files, ${seconds(total)} in all, run in parallel):`, ...lines, ''].join('\n'),
    );
  }
}
