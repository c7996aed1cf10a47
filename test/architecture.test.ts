/**
 * The house as drawn: every import in src/ is read (TypeScript's own import scanner) and checked
 * against the layering rules below, which are data. A broken rule fails naming the file, the line,
 * the import and the rule. Also checked: file names are kebab-case, and test/ mirrors src/.
 *
 * To add a module, put it in a unit of `UNITS` (a new folder needs a new entry, placed at the rank
 * of the lowest unit that may use it); to let a unit use another, the other must sit at a lower rank.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * The layers of src/, lowest first. A file may import files of its own unit, and files of units of
 * a strictly lower rank; units sharing a rank are independent of each other. `paths` are folders
 * (ending in `/`) or files, relative to the repository root. Every file of src/ is in one unit.
 */
const UNITS: readonly { readonly name: string; readonly rank: number; readonly paths: readonly string[]; readonly holds: string }[] = [
  { name: 'tensor', rank: 0, paths: ['src/tensor/'], holds: 'Vec/Mat and the kernels: every hot loop (layers, losses, optimizers, the arena) lives here, in kernels.ts and wasm/' },
  { name: 'random', rank: 0, paths: ['src/random.ts'], holds: 'the splittable PRNG' },
  { name: 'errors', rank: 0, paths: ['src/errors.ts'], holds: "what every boundary's error lists share (the cap, clip, describe, formatErrors)" },
  { name: 'stop-reason', rank: 0, paths: ['src/stop-reason.ts'], holds: 'the one StopReason union of fit and the full-batch optimizers' },
  { name: 'shape', rank: 1, paths: ['src/shape/'], holds: 'type-level shapes: literal dims, ShapeError, decimal arithmetic, shaped widths' },
  { name: 'params', rank: 1, paths: ['src/params.ts'], holds: 'parameter trees' },
  // lowering.ts reads the layers' inference forms and layer/define.ts attaches lowerings, so the
  // lowering protocol is part of the layer unit; losses and optimizers above use it.
  { name: 'layer', rank: 2, paths: ['src/layer/', 'src/lowering.ts'], holds: 'the Layer type, the layers, composition, and the lowering protocol' },
  { name: 'loss', rank: 3, paths: ['src/loss/'], holds: 'losses, each a value with its gradient' },
  { name: 'diff', rank: 4, paths: ['src/diff/'], holds: 'Jacobians, valueAndGrad, gradient checks' },
  { name: 'optim', rank: 5, paths: ['src/optim/'], holds: 'gradient transformations, schedules, penalties, full-batch optimizers' },
  { name: 'io', rank: 6, paths: ['src/io/'], holds: 'save/load of parameters and optimizer state' },
  { name: 'data', rank: 7, paths: ['src/data/'], holds: 'the data boundary: codecs, CSV, splits, preprocessing, metrics' },
  { name: 'train', rank: 8, paths: ['src/train/'], holds: 'fit, the engine, batching, validation, cross-validation' },
  { name: 'plot', rank: 9, paths: ['src/plot/'], holds: 'charts and network drawings' },
  { name: 'progress', rank: 9, paths: ['src/progress.ts'], holds: 'progress lines for fit' },
  { name: 'onnx', rank: 10, paths: ['src/onnx/'], holds: 'ONNX export and import' },
  { name: 'csv-stream', rank: 10, paths: ['src/csv-stream.ts'], holds: 'streaming CSV files (Node only)' },
  { name: 'node', rank: 10, paths: ['src/node/'], holds: 'data-parallel training on worker threads (Node only)' },
  { name: 'entry: foldnet', rank: 11, paths: ['src/index.ts'], holds: 'the package root' },
  { name: 'entry: foldnet/node', rank: 11, paths: ['src/node.ts'], holds: 'the Node entry point' },
  { name: 'entry: foldnet/onnx', rank: 11, paths: ['src/onnx.ts'], holds: 'the ONNX entry point' },
];

/** Entry points that must run in a browser: nothing they reach imports a Node built-in. */
const BROWSER_ENTRIES = ['src/index.ts', 'src/onnx.ts'];

/** Folders (and dotted names) of the source trees whose file names must be kebab-case. */
const NAMED_TREES = ['src', 'test', 'types-tests', 'examples', 'bench', 'scripts', 'browser'];

/** Folders of test/ that hold no tests of a src/ folder (so do not mirror one), with what they hold. */
const TEST_FOLDERS_OUTSIDE_SRC = new Map([
  ['test/fixtures', 'data files the tests read'],
  ['test/support', 'helpers shared by tests of several folders'],
  ['test/browser', 'the browser entry-point checks and the Chromium end-to-end run'],
  ['test/end-to-end', 'the README, the demo and real-data accuracy runs through the public API'],
  ['test/bench', 'checks of bench/ (the workload generator)'],
]);

const walk = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? walk(posix.join(dir, e.name)) : [posix.join(dir, e.name)]));

const sources = walk('src').filter((f) => f.endsWith('.ts'));

const unitOf = (file: string) => UNITS.find((u) => u.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));

interface Import {
  readonly from: string;
  readonly line: number;
  readonly specifier: string;
  /** The imported file (repository-relative, `.ts`), or undefined for a package. */
  readonly target: string | undefined;
}

/** Every import and re-export of a file, static or dynamic, type-only or not. */
const importsOf = (file: string): Import[] => {
  const text = readFileSync(join(root, file), 'utf8');
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return ts.preProcessFile(text, true, true).importedFiles.map((r) => ({
    from: file,
    line: lineOf(r.pos),
    specifier: r.fileName,
    target: r.fileName.startsWith('.') ? posix.join(posix.dirname(file), r.fileName).replace(/\.js$/, '.ts') : undefined,
  }));
};

const imports = sources.flatMap(importsOf);
const where = (i: Import) => `${i.from}:${i.line} imports '${i.specifier}'`;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** What is wrong with an import under the layering rules, if anything. */
const layeringProblem = (i: Import): string[] => {
  if (i.target === undefined) return [];
  const a = unitOf(i.from)!;
  const b = unitOf(i.target);
  if (b === undefined || a === b || b.rank < a.rank) return [];
  const rule = b.rank === a.rank ? `'${a.name}' and '${b.name}' share rank ${a.rank}: neither may import the other` : `'${a.name}' (rank ${a.rank}) may not import '${b.name}' (rank ${b.rank}), which sits above it`;
  return [`${where(i)}: ${rule}`];
};

describe('layering: imports in src/ only go down', () => {
  it('the rules are well formed: every unit path exists, and every file of src/ is in exactly one unit', () => {
    const missing = UNITS.flatMap((u) => u.paths.filter((p) => !statSync(join(root, p), { throwIfNoEntry: false })).map((p) => `${u.name}: ${p} does not exist`));
    const placed = sources.flatMap((f) => {
      const units = UNITS.filter((u) => u.paths.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p)));
      return units.length === 1 ? [] : [`${f} is in ${units.length === 0 ? 'no unit: add it to UNITS in test/architecture.test.ts' : `${units.length} units`}`];
    });
    expect([...missing, ...placed]).toEqual([]);
  });

  it('every relative import names a file that exists', () => {
    const broken = imports.filter((i) => i.target !== undefined && !statSync(join(root, i.target), { throwIfNoEntry: false })).map(where);
    expect(broken).toEqual([]);
  });

  it('a file imports its own unit or a unit of lower rank, never a sibling or anything above', () => {
    expect(imports.flatMap(layeringProblem)).toEqual([]);
  });

  it('the layering check can fail: an import upwards and one sideways are named with their rule', () => {
    const up: Import = { from: 'src/optim/chain.ts', line: 1, specifier: '../train/fit.js', target: 'src/train/fit.ts' };
    const sideways: Import = { from: 'src/plot/chart.ts', line: 2, specifier: '../progress.js', target: 'src/progress.ts' };
    expect([up, sideways].flatMap(layeringProblem)).toEqual([
      "src/optim/chain.ts:1 imports '../train/fit.js': 'optim' (rank 5) may not import 'train' (rank 8), which sits above it",
      "src/plot/chart.ts:2 imports '../progress.js': 'plot' and 'progress' share rank 9: neither may import the other",
    ]);
  });

  it('in particular optim/ never imports train/, and the shared error helpers sit below io/, which sits below data/', () => {
    // Stated separately so that a reordering of UNITS that allowed these would fail here too.
    const rank = (name: string) => UNITS.find((u) => u.name === name)!.rank;
    expect(rank('optim')).toBeLessThan(rank('train'));
    expect(rank('errors')).toBeLessThan(rank('io'));
    expect(rank('io')).toBeLessThan(rank('data'));
    const optimToTrain = imports.filter((i) => i.from.startsWith('src/optim/') && i.target?.startsWith('src/train/')).map(where);
    expect(optimToTrain).toEqual([]);
  });

  it('src/ imports only the packages listed in dependencies (never a devDependency), and Node built-ins only through node:', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set(Object.keys(pkg.dependencies));
    const broken = imports
      .filter((i) => i.target === undefined)
      .filter((i) => (builtins.has(i.specifier) ? !i.specifier.startsWith('node:') : !allowed.has(packageOf(i.specifier))))
      .map((i) => `${where(i)}: ${builtins.has(i.specifier) ? 'write Node built-ins as node:…' : `'${packageOf(i.specifier)}' is not in package.json's dependencies`}`);
    expect(broken).toEqual([]);
  });

  it('the browser entry points (src/index.ts, src/onnx.ts) reach no file that imports a Node built-in', () => {
    const edges = new Map<string, string[]>();
    for (const i of imports) if (i.target !== undefined) edges.set(i.from, [...(edges.get(i.from) ?? []), i.target]);
    const reached = new Set<string>();
    const visit = (f: string): void => {
      if (reached.has(f)) return;
      reached.add(f);
      (edges.get(f) ?? []).forEach(visit);
    };
    BROWSER_ENTRIES.forEach(visit);
    const broken = imports.filter((i) => reached.has(i.from) && builtins.has(i.specifier)).map((i) => `${where(i)}: reached from ${BROWSER_ENTRIES.join(' or ')}, which must run in a browser (Node code belongs under src/node.ts)`);
    expect(broken).toEqual([]);
    // The check can fail: the Node entry point does import built-ins.
    expect(imports.some((i) => i.from === 'src/node.ts' && builtins.has(i.specifier))).toBe(true);
  });
});

describe('file names and the test tree', () => {
  /** kebab-case, after an optional `_` (examples' helpers that are not examples themselves); upper-case README/LICENSE-style names are left as they are conventionally written. */
  const kebab = /^_?[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
  const conventional = /^[A-Z]+(-[a-z0-9]+)?(\.md)?$/;

  it(`every file in ${NAMED_TREES.join(', ')} is named in kebab-case`, () => {
    const bad = NAMED_TREES.flatMap(walk)
      .filter((f) => {
        const name = posix.basename(f);
        return !kebab.test(name) && !conventional.test(name);
      })
      .map((f) => `${f}: rename to kebab-case (e.g. ${posix.basename(f).replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()})`);
    expect(bad).toEqual([]);
  });

  it('test/ mirrors src/: every folder of tests is a folder of src/ (or one of the named non-source folders)', () => {
    const folders = [...new Set(walk('test').map((f) => posix.dirname(f)))].filter((d) => d !== 'test');
    const bad = folders
      .filter((d) => ![...TEST_FOLDERS_OUTSIDE_SRC.keys()].some((k) => d === k || d.startsWith(`${k}/`)))
      .filter((d) => !statSync(join(root, d.replace(/^test/, 'src')), { throwIfNoEntry: false })?.isDirectory())
      .map((d) => `${d} has no ${d.replace(/^test/, 'src')} to mirror`);
    expect(bad).toEqual([]);
  });

  it('the name checks can fail', () => {
    expect(kebab.test('fullBatch.ts')).toBe(false);
    expect(kebab.test('full-batch.test.ts')).toBe(true);
    expect(kebab.test('long-chain.test-d.ts')).toBe(true);
    expect(kebab.test('_iris-quick-start.ts')).toBe(true);
  });
});
