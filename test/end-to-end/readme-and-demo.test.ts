import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize as normalizePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fit, fromArray, gradCheck, key, loweringOf, mse, params, sgd, type AnyLayer, type GradientTransformation, type Loss } from '../../src/index.js';
import { irisQuickStart } from '../../examples/_iris-quick-start.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string): string => readFileSync(`${root}/${file}`, 'utf8');

/** Code lines without trailing semicolons, with the examples' import paths mapped to the package's. */
const normalize = (code: string): string[] =>
  code
    .trim()
    .split('\n')
    .map((l) => l.replace(/;(\s*(\/\/.*)?)$/, '$1').replace("'../src/index.js'", "'foldnet'").replace("'../src/node.js'", "'foldnet/node'"));

describe('README quick start and tour', () => {
  it('the README tour is exactly examples/tour.ts, which the compiler checks', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## A 30-line tour'));
    const snippet = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('\n```', section.indexOf('```ts\n')));
    const tour = read('examples/tour.ts');
    expect(normalize(snippet)).toEqual(normalize(tour.slice(tour.indexOf('import * as E'))));
    expect(normalize(snippet).length).toBeLessThanOrEqual(32);
  });

  it('the demo watches a validation set carved from the training rows and never sees the test rows while training', () => {
    const iris = { x: fromArray(150, 4, Float64Array.from({ length: 600 }, (_, k) => Math.floor(k / 4))), labels: Array.from({ length: 150 }, (_, i) => i % 3) };
    const split = { train: Array.from({ length: 120 }, (_, i) => i), test: Array.from({ length: 30 }, (_, i) => 120 + i) };
    const { rows, xTrain, xVal } = irisQuickStart(iris, split, 1);
    expect([rows.fit.length, rows.validation.length, xTrain.rows, xVal.rows]).toEqual([96, 24, 96, 24]);
    expect([...rows.fit, ...rows.validation].sort((a, b) => a - b)).toEqual(split.train);
    expect(rows.validation.filter((i) => split.test.includes(i))).toEqual([]);
    // stratified: 8 validation rows of each class
    expect([0, 1, 2].map((c) => rows.validation.filter((i) => iris.labels[i] === c).length)).toEqual([8, 8, 8]);
  });

  it('npm run demo trains on the bundled iris data and prints a test accuracy of at least 90%', () => {
    const out = execFileSync(process.execPath, [`${root}/node_modules/tsx/dist/cli.mjs`, 'examples/demo.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const m = /test accuracy: ([\d.]+)% \((\d+)\/30\)/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(90);
    expect(out).toContain('confusion matrix');
    expect(out).toMatch(/24 validation rows \(both from split 0's training rows\)/);
    const progress = out.split('\n').filter((l) => l.startsWith('epoch'));
    expect(progress.length).toBeGreaterThan(0);
    for (const l of progress) expect(l).toMatch(/val loss .* val acc /);
    expect(out).toMatch(/loss curve: .*demo-iris\.svg/);
  });
});

/** The guides: every Markdown file directly in docs/ (subfolders are not published). */
const guides = readdirSync(`${root}/docs`).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
const published = ['README.md', 'CONTRIBUTING.md', ...guides];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchorsOf = (file: string): Set<string> =>
  new Set([...read(file).replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

/** Markdown links `[text](target)` outside code blocks and code spans. */
const linksOf = (file: string): string[] =>
  [...read(file).replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

describe('the README is a front page and the guides hold together', () => {
  it('the README has at most 150 lines and links every guide', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length - 1).toBeLessThanOrEqual(150);
    expect(guides.length).toBeGreaterThanOrEqual(9);
    for (const g of guides) expect(readme, g).toContain(`](${g})`);
    expect(readme).toContain('](CONTRIBUTING.md)');
  });

  it('every relative link points at a file in the repository, and every #anchor at a heading there', () => {
    const broken: string[] = [];
    for (const file of published) {
      for (const link of linksOf(file)) {
        if (/^[a-z]+:/.test(link)) continue; // https:, mailto:
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : normalizePath(join(dirname(file), path));
        if (!existsSync(`${root}/${target}`)) broken.push(`${file}: ${link} (no ${target})`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor)) broken.push(`${file}: ${link} (no heading #${anchor} in ${target})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('no published document points at a document a user does not have', () => {
    const lacking = /WORKLOADS\.md|design card|\.\.\/shared|\/work\/|\bissue #?\d+|the performance issue|DESIGN\.md/i;
    for (const file of published) expect(lacking.exec(read(file))?.[0], file).toBeUndefined();
  });
});

/**
 * The architecture guide's worked examples, run as written: each ```ts block under the heading
 * becomes a module importing the package's source, with the data it leaves to the reader (`x`, `y`)
 * defined, and hands back what it built.
 */
const workedExample = async (heading: string, names: readonly string[]): Promise<Record<string, unknown>> => {
  const guide = read('docs/architecture.md');
  const section = guide.slice(guide.indexOf(`## ${heading}`));
  const code = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('\n```', section.indexOf('```ts\n')));
  const dir = `${root}/out/docs-examples`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${heading.replace(/\W+/g, '-').toLowerCase()}.ts`;
  const data = [
    `import { fromArray as fromArray_ } from '${root}/src/index.js'`,
    'const x = fromArray_(64, 4, Float64Array.from({ length: 256 }, (_, i) => Math.sin(i * 1.3)))',
    'const y = fromArray_(64, 1, Float64Array.from({ length: 64 }, (_, i) => Math.cos(i * 0.7)))',
  ];
  writeFileSync(file, [...data, code.replaceAll("from 'foldnet'", `from '${root}/src/index.js'`), `export { ${names.join(', ')}, x, y }`].join('\n'));
  return (await import(file)) as Record<string, unknown>;
};

/**
 * The largest relative difference between the parameters of a run on the compiled program and the
 * same run with a copy of the optimizer (a copy carries no lowered form, so fit folds the generic step).
 */
const compiledVsGeneric = (net: AnyLayer, loss: Loss<number>, optimizer: GradientTransformation<unknown>, data: { x: unknown; y: unknown }): number => {
  const opts = { loss, epochs: 3, batchSize: 16, key: key(1) } as const;
  const run = (o: GradientTransformation<unknown>) => params.flatten(fit(net, net.init(key(0)), data as never, { ...opts, optimizer: o }).params);
  const [compiled, generic] = [run(optimizer), run({ ...optimizer })];
  expect(compiled.length).toBe(generic.length);
  return Math.max(...compiled.map((v, i) => Math.abs(v - generic[i]!) / Math.max(1, Math.abs(generic[i]!))));
};

describe("the architecture guide's worked examples keep their promises", () => {
  it('the tanh layer passes gradCheck, lowers to two stages and trains as its own vjp does, to rounding', async () => {
    const m = await workedExample('Adding a layer', ['tanhDense', 'net', 'check']);
    expect((m['check'] as { ok: boolean }).ok).toBe(true);
    expect(loweringOf(m['tanhDense'] as object)!(4).map((s) => s.op)).toEqual(['affine', 'pointwise']);
    const difference = compiledVsGeneric(m['net'] as AnyLayer, mse, sgd(0.05) as GradientTransformation<unknown>, { x: m['x'], y: m['y'] });
    expect(difference).toBeLessThan(1e-12);
  });

  it('the log-cosh loss passes gradCheck and its value is log cosh', async () => {
    const m = await workedExample('Adding a loss', ['logCosh', 'net']);
    const loss = m['logCosh'] as Loss<number>;
    expect(gradCheck(m['net'] as AnyLayer, loss, (m['net'] as AnyLayer).init(key(0)), m['x'] as never, m['y'] as never).ok).toBe(true);
    expect(loss.value(fromArray(2, 1, Float64Array.of(3, -800)), fromArray(2, 1, Float64Array.of(0, 0)))).toBeCloseTo((Math.log(Math.cosh(3)) + 800 - Math.LN2) / 2, 12);
  });

  it('the moving-average optimizer trains the same on the compiled program as on the generic step', async () => {
    const m = await workedExample('Adding an optimizer', ['scaleByEma', 'ema', 'net']);
    expect(compiledVsGeneric(m['net'] as AnyLayer, mse, m['ema'] as GradientTransformation<unknown>, { x: m['x'], y: m['y'] })).toBe(0);
    expect(() => (m['scaleByEma'] as (b: number) => unknown)(1)).toThrow(/β must be in \[0, 1\), got 1/);
  });
});
