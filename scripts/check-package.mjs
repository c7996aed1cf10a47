#!/usr/bin/env node
// Installs foldnet the way a user does and checks that it works there. CI runs it after `npm test`.
//
//   1. `npm pack` (which builds dist/ through the `prepare` script) and a check of the tarball's
//      file list: the built JS and .d.ts of both entry points, nothing from test/, bench/, ….
//   2. Three fresh apps in a temporary folder, one per way of installing: the tarball, the folder
//      (`npm install <path>`, a symlink) and the git repository (`git+file://…#<HEAD>`, which
//      builds in npm's clone through `prepare`). In each app:
//      - a small program (src/main.ts: run-time data checked with withColsEither, fit, predict, save,
//        files through foldnet/node) compiles and runs under Node: from the tarball under
//        TypeScript 6 and 7 with moduleResolution `nodenext` and `bundler`; from the folder and
//        git installs (the same files) under TypeScript 7 with `nodenext`;
//      - (tarball) a file with planted mistakes fails to compile on both compilers with exactly the
//        expected `ShapeError<"…">` texts on the expected lines, and no other error;
//      - `require('foldnet')` works where Node can require ES modules (Node ≥ 20.19 / 22.12), and
//        fails with ERR_REQUIRE_ESM elsewhere.
//   3. In the tarball app, the recipe "Testing your own architectures with tsd" of
//      docs/layers-and-shapes.md, as written: its files are taken from that guide, `npx tsd --typings src/model.ts` passes, a
//      planted wrong expectation makes it fail, and the app's own tsc ignores test-d/.
//
// The compilers are the repo's own (node_modules/typescript and node_modules/typescript7); the
// apps install foldnet's dependencies, tsd and @types/node from the npm registry (at the versions
// in this repo's lock file, so `npm ci` has usually cached them). Nothing else uses the network.
//
// Usage: node scripts/check-package.mjs [--keep] [--only tarball,folder,git]
//   --keep   leave the temporary folder in place and print its path
//   --only   run only the named installs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;

const versionOf = (pkg) => JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const compilers = [
  { name: `TypeScript ${versionOf('typescript')}`, bin: path.join(root, 'node_modules', 'typescript', 'bin', 'tsc') },
  { name: `TypeScript ${versionOf('typescript7')}`, bin: path.join(root, 'node_modules', 'typescript7', 'bin', 'tsc') },
];

const work = mkdtempSync(path.join(tmpdir(), 'foldnet-package-'));
const started = performance.now();
let failures = 0;

const log = (msg) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};
const indent = (s) => s.trim().split('\n').map((l) => `       ${l}`).join('\n');

/** Runs a command; returns { code, out } with stdout and stderr together. */
const run = (cmd, argv, cwd, env = {}) => {
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};
/** Runs a command that must succeed; on failure reports its output and returns null. */
const must = (what, cmd, argv, cwd, env) => {
  const r = run(cmd, argv, cwd, env);
  if (r.code !== 0) {
    fail(`${what} (exit ${r.code}):\n${indent(r.out)}`);
    return null;
  }
  return r;
};
const write = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

// ---- 1. pack ---------------------------------------------------------------------------------
log(`npm pack (builds dist/ through prepare) into ${work}`);
const packed = must('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], root);
if (packed === null) process.exit(1);
// Lifecycle scripts may print to stdout before the JSON; the JSON is the last top-level array.
const manifest = JSON.parse(packed.stdout.slice(Math.max(0, packed.stdout.lastIndexOf('\n[') + 1)))[0];
const tarball = path.join(work, manifest.filename);
const shipped = manifest.files.map((f) => f.path);
for (const f of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts']) {
  if (!shipped.includes(f)) fail(`the tarball lacks ${f}`);
}
const unwanted = shipped.filter((f) => /^(test|types-tests|bench|examples|browser|scripts|data|docs|out|\.ci)\//.test(f) || /\.test(-d)?\.ts$/.test(f));
if (unwanted.length > 0) fail(`the tarball ships files users do not need: ${unwanted.slice(0, 10).join(', ')}${unwanted.length > 10 ? ', …' : ''}`);
log(`${manifest.filename}: ${shipped.length} files, ${(manifest.size / 1024).toFixed(0)} kB packed`);

// ---- the apps' files -------------------------------------------------------------------------
/** The layers guide's tsd recipe: each fenced block whose first line is `// <path>` is a file of the app. */
const readme = readFileSync(path.join(root, 'docs', 'layers-and-shapes.md'), 'utf8');
const recipeStart = readme.indexOf('## Testing your own architectures with tsd');
const recipe = readme.slice(recipeStart, readme.indexOf('\n## ', recipeStart + 1));
const recipeFiles = [...recipe.matchAll(/```(?:ts|jsonc)\n\/\/ ([\w./-]+\.(?:ts|json))\b[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ file: m[1], text: m[2] }));
const TSD_COMMAND = 'npx tsd --typings src/model.ts';
for (const f of ['src/model.ts', 'test-d/model.test-d.ts', 'tsconfig.json']) {
  if (!recipeFiles.some((r) => r.file === f)) fail(`the layers guide's tsd recipe has no block starting with "// ${f}"`);
}
if (!recipe.includes(TSD_COMMAND)) fail(`the layers guide's tsd recipe does not show the command \`${TSD_COMMAND}\``);

const program = `// A user's program: data whose width is known at run time, checked once, then typed all the way.
import { adam, dense, fit, fromRows, key, load, mse, predict, relu, save, sequential, withColsEither } from 'foldnet'
import { readTextFile, writeTextFile } from 'foldnet/node'
import { classifier } from './model.js'

const rows: number[][] = JSON.parse('[[0, 0], [0, 1], [1, 0], [1, 1]]')
const checked = withColsEither(fromRows(rows), 2)
if (checked._tag === 'Left') throw new Error(checked.left.message)
const x = checked.right
const y = fromRows([[0], [1], [1], [0]])
const net = sequential(dense(2, 8), relu, dense(8, 1))
const opts = { loss: mse, optimizer: adam(0.05), epochs: 400, batchSize: 'full', key: key(1) } as const
const { params, history } = fit(net, net.init(key(0)), { x, y }, opts)
const last = history.trainLoss.at(-1)!
if (!(last < 0.01)) throw new Error(\`xor did not train: final loss \${last}\`)

const saved = save(net, params)
const problems = (errors: ReadonlyArray<{ readonly message: string }>) => new Error(errors.map((e) => e.message).join('; '))
if (saved._tag === 'Left') throw problems(saved.left)
const written = writeTextFile('build/xor.json', saved.right)
if (written._tag === 'Left') throw problems(written.left)
const text = readTextFile('build/xor.json')
if (text._tag === 'Left') throw problems(text.left)
const loaded = load(net, text.right)
if (loaded._tag === 'Left') throw problems(loaded.left)
const same = predict(net, loaded.right, x).data.every((v, i) => v === predict(net, params, x).data[i])
if (!same) throw new Error('predictions differ after save and load')
console.log(\`foldnet app ok: xor loss \${history.trainLoss[0]!.toFixed(3)} -> \${last.toExponential(1)}, saved and loaded bit for bit; classifier \${classifier.inputDim} -> \${classifier.outputDim}\`)
`;

const mistakes = `// Planted mistakes: each annotated line must fail with exactly this ShapeError text.
import { dense, fit, fromRows, key, mse, predict, relu, sequential, sgd } from 'foldnet'

export const bad = sequential(dense(4, 8), relu, dense(6, 2)) // @expect-shape-error: sequential: layer #3 expects input dim 6, but layer #1 outputs 8
const net = sequential(dense(4, 8), relu, dense(8, 1))
const p = net.init(key(0))
const rows: number[][] = JSON.parse('[[1, 2, 3, 4]]')
const opts = { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 'full', key: key(1) } as const
export const loose = fit(net, p, { x: fromRows(rows), y: fromRows([[1]]) }, opts) // @expect-shape-error: fit: data.x has a width known only at run time, but the model takes 4 inputs; check it with withCols(x, 4) or build the model with dyn(n)
export const five = predict(net, p, fromRows([[1, 2, 3, 4, 5]])) // @expect-shape-error: predict: x has 5 columns, but the model takes 4 inputs
`;

const json = (v) => `${JSON.stringify(v, null, 2)}\n`;
const appFiles = (dependencySpec, withTsd) => ({
  'package.json': json({
    name: 'foldnet-user-app',
    private: true,
    type: 'module',
    scripts: withTsd ? { 'test:types': TSD_COMMAND.replace(/^npx /, '') } : {},
    dependencies: { foldnet: dependencySpec },
    devDependencies: { '@types/node': versionOf('@types/node'), ...(withTsd ? { tsd: versionOf('tsd') } : {}) },
  }),
  ...Object.fromEntries(recipeFiles.map((r) => [r.file, r.text])),
  'src/main.ts': program,
  'tsconfig.bundler.json': json({
    extends: './tsconfig.json',
    compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', noEmit: true },
  }),
  'mistakes/mistakes.ts': mistakes,
  'library/library.ts': library,
  'library/tsconfig.json': json({
    compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, declaration: true, noEmit: true, skipLibCheck: true, types: [] },
    include: ['*.ts'],
  }),
  'mistakes/tsconfig.json': json({
    compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
    include: ['*.ts'],
  }),
});

const library = `// A library built on foldnet, emitting declarations: every export's type is inferred, so the compiler
// must name it from foldnet's entry points (TS2883 "cannot be named without a reference to
// …/dist/…" otherwise). A type that a public function returns is therefore public.
import {
  adam, adamw, adagrad, chain, classificationReport, clipByGlobalNorm, compose, conjugateGradient, conv1d, crossValidate,
  defineLayer, dense, describeNet, evaluate, fit, fitEpochs, flatten, fromRows, gradCheck, gridSearch, gru, kFold, key,
  lbfgs, linearAutoregression, lstm, maxPool, momentum, mse, objective, ops, r2, readCsv, relu, rmsprop, scan,
  sequential, sgd, slidingWindows, sparsity, standardize, stratifiedKFold, strongWolfe, tanh, timeSplit, trainTestSplit,
  type NoParams,
} from 'foldnet'

export const net = sequential(dense(4, 8), relu, dense(8, 1))
export const composed = compose(dense(4, 8), tanh)
export const optimizers = [sgd(0.1), momentum(0.1), adam(1e-3), adamw(1e-3), rmsprop(1e-3), adagrad(0.1)] as const
export const chained = chain(clipByGlobalNorm(1), adam(1e-3))
export const p0 = net.init(key(0))
export const x = fromRows([[1, 2, 3, 4], [4, 3, 2, 1]])
export const y = fromRows([[1], [0]])
export const trained = fit(net, p0, { x, y }, { loss: mse, optimizer: adam(1e-3), epochs: 1, batchSize: 1, key: key(1) })
export const epochs = fitEpochs(net, p0, { x, y }, { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 1, key: key(1) })
export const evaluation = evaluate(net, p0, { x, y }, mse)
export const f = objective(net, mse, { x, y })
export const fullBatch = [lbfgs(f, p0), conjugateGradient(f, p0)] as const
export const lineSearch = strongWolfe(f, p0, 1, p0, p0, 1)
export const check = gradCheck(net, mse, p0, x, y)
export const report = sparsity(p0)
export const folds = [kFold(10, 2, key(2)), stratifiedKFold([0, 1, 0, 1], 2, key(2))] as const
export const cv = crossValidate({ data: { x, y }, folds: 2, key: key(3), train: () => p0, score: (p, d) => r2(net.forward(p, d.x), d.y) })
export const grid = gridSearch({ grid: { lambda: [0, 1] }, mode: 'max', key: key(4), evaluate: ({ lambda }) => lambda })
export const info = describeNet(net)
export const split = trainTestSplit(10, { testFraction: 0.2, key: key(5) })
export const windows = slidingWindows(fromRows([[1], [2], [3], [4], [5], [6]]), { lookback: 2, targets: [0] })
export const timed = timeSplit({ x: windows.x, y: windows.y }, { train: 0.5, validation: 0.25 })
export const ar = linearAutoregression(windows)
export const classes = classificationReport([0, 1], [0, 1], 2)
export const table = readCsv('a,b,label\\n1,2,0', { features: ['a', 'b'], target: 'label', task: 'classification', classes: 2 })
export const rejecting = readCsv('a,b,y\\n1,2,3', { features: ['a', 'b'], target: 'y', task: 'regression', badRows: 'reject' })
export const layers = [
  conv1d([24, 4], { filters: 16, kernel: 3, padding: 'same' }), maxPool([26, 26, 8], 2), flatten([13, 13, 8]),
  lstm([24, 4], 32), gru([24, 4], 8), scan(sequential(dense(12, 8), tanh), { steps: 24, features: 4, state: 8 }),
] as const
export const scaled = standardize(x)
export const double = defineLayer<3, 3, NoParams>({
  kind: 'double', inputDim: 3, outputDim: 3, init: () => ({}),
  forward: (_p, v) => ops.scale(v, 2),
  vjp: (_p, v) => [ops.scale(v, 2), (dy) => [{}, ops.scale(dy, 2)]],
  jvp: (_p, v, _dp, dv) => [ops.scale(v, 2), ops.scale(dv, 2)],
})
`;

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
/** Diagnostics of a `--pretty false` run, continuation lines joined. */
const diagnostics = (out) => {
  const ds = [];
  for (const line of out.split('\n')) {
    const m = DIAGNOSTIC.exec(line);
    if (m !== null) ds.push({ file: path.basename(m[1]), line: Number(m[2]), text: m[5] });
    else if (/^\s/.test(line) && ds.length > 0) ds[ds.length - 1].text += `\n${line}`;
  }
  return ds;
};

const checkMistakes = (app, compiler, label) => {
  const r = run(process.execPath, [compiler.bin, '-p', 'mistakes', '--pretty', 'false'], app);
  const expected = mistakes.split('\n').flatMap((text, i) => {
    const m = /\/\/ @expect-shape-error: (.+)$/.exec(text);
    return m === null ? [] : [{ line: i + 1, text: `ShapeError<"${m[1]}">` }];
  });
  const ds = diagnostics(r.out);
  const problems = [];
  for (const e of expected) {
    if (!ds.some((d) => d.line === e.line && d.text.includes(e.text))) problems.push(`line ${e.line}: no error containing ${e.text}`);
  }
  for (const d of ds) if (!expected.some((e) => e.line === d.line)) problems.push(`unexpected error at line ${d.line}: ${d.text}`);
  if (r.code === 0) problems.push('the planted mistakes compiled');
  if (problems.length > 0) fail(`${label}, ${compiler.name}, planted mistakes:\n${indent(problems.join('\n'))}\n${indent(r.out)}`);
  else log(`${label}, ${compiler.name}: ${expected.length} planted mistakes give the expected ShapeError texts`);
};

// ---- 2. the apps -----------------------------------------------------------------------------
const head = run('git', ['rev-parse', 'HEAD'], root);
const sources = [
  { name: 'tarball', spec: `file:${tarball}`, full: true },
  { name: 'folder', spec: `file:${root}`, full: false },
  head.code === 0 ? { name: 'git', spec: `git+file://${root}#${head.out.trim()}`, full: false } : null,
].filter((s) => s !== null && (only === null || only.has(s.name)));
if (head.code !== 0 && (only === null || only.has('git'))) fail(`${root} is not a git checkout, so the git install cannot be checked`);
if (head.code === 0 && run('git', ['status', '--porcelain', '--untracked-files=no'], root).out.trim() !== '') {
  log(`note: the working tree has uncommitted changes; the git install checks the last commit, ${head.out.trim().slice(0, 12)}`);
}

for (const source of sources) {
  const app = path.join(work, `app-${source.name}`);
  for (const [file, text] of Object.entries(appFiles(source.spec, source.full))) write(path.join(app, file), text);
  log(`${source.name}: npm install ${source.spec}`);
  if (must(`${source.name}: npm install`, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app) === null) continue;
  const installed = path.join(app, 'node_modules', 'foldnet');
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts']) {
    if (!existsSync(path.join(installed, f))) fail(`${source.name}: the installed package lacks ${f}`);
  }

  // Compile the program: nodenext (the layers guide's tsconfig.json, emitting to build/) and bundler, and
  // the planted mistakes, on both compilers. The folder and git installs ship the same files, so
  // for them one compile (TypeScript 7, emitting) shows the package resolves and has its types.
  const matrix = source.full ? compilers : [compilers[1]];
  for (const [i, compiler] of matrix.entries()) {
    const emit = i === 0 ? [] : ['--noEmit'];
    if (must(`${source.name}, ${compiler.name}, nodenext`, process.execPath, [compiler.bin, '-p', 'tsconfig.json', '--pretty', 'false', ...emit], app) !== null) {
      log(`${source.name}, ${compiler.name}: the program compiles with moduleResolution nodenext`);
    }
    if (!source.full) continue;
    if (must(`${source.name}, ${compiler.name}, bundler`, process.execPath, [compiler.bin, '-p', 'tsconfig.bundler.json', '--pretty', 'false'], app) !== null) {
      log(`${source.name}, ${compiler.name}: the program compiles with moduleResolution bundler`);
    }
    checkMistakes(app, compiler, source.name);
    if (must(`${source.name}, ${compiler.name}, declarations`, process.execPath, [compiler.bin, '-p', 'library', '--pretty', 'false'], app) !== null) {
      log(`${source.name}, ${compiler.name}: a library exporting inferred foldnet types emits portable declarations`);
    }
  }

  // Run it.
  const out = must(`${source.name}: node build/main.js`, process.execPath, ['build/main.js'], app)?.out ?? null;
  if (out !== null) {
    if (out.includes('foldnet app ok')) log(`${source.name}: ${out.trim().split('\n').at(-1)}`);
    else fail(`${source.name}: the program did not report success:\n${indent(out)}`);
  }

  // require(): works where Node can require ES modules, else fails with Node's own message.
  const req = run(process.execPath, ['-e', "const f = require('foldnet'); const n = require('foldnet/node'); console.log(typeof f.sequential, typeof n.readCsvFile)"], app);
  if (process.features.require_module === true) {
    if (req.code === 0 && req.out.includes('function function')) log(`${source.name}: require('foldnet') and require('foldnet/node') work on Node ${process.version}`);
    else fail(`${source.name}: require('foldnet') failed on Node ${process.version}, which can require ES modules:\n${indent(req.out)}`);
  } else if (req.code !== 0 && req.out.includes('ERR_REQUIRE_ESM')) {
    log(`${source.name}: require('foldnet') fails with ERR_REQUIRE_ESM on Node ${process.version} (import it instead)`);
  } else {
    fail(`${source.name}: require('foldnet') on Node ${process.version} should fail with ERR_REQUIRE_ESM:\n${indent(req.out)}`);
  }

  // ---- 3. the layers guide's tsd recipe --------------------------------------------------------------
  if (source.full) {
    if (must(`${source.name}: ${TSD_COMMAND} (the layers guide's recipe)`, 'npm', ['run', '--silent', 'test:types'], app) !== null) {
      log(`${source.name}: the layers guide's tsd recipe passes (${TSD_COMMAND})`);
    }
    const planted = path.join(app, 'test-d', 'planted.test-d.ts');
    write(planted, "import { expectType } from 'tsd'\nimport type { InputDim } from 'foldnet'\nimport { classifier } from '../src/model.js'\n\nexpectType<5>(null as unknown as InputDim<typeof classifier>)\n");
    const wrong = run('npm', ['run', '--silent', 'test:types'], app);
    if (wrong.code !== 0 && /planted\.test-d\.ts/.test(wrong.out)) log(`${source.name}: tsd fails on a planted wrong expectation`);
    else fail(`${source.name}: tsd did not fail on a planted wrong expectation (exit ${wrong.code}):\n${indent(wrong.out)}`);
    rmSync(planted);
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (keep) log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
if (failures > 0) {
  console.error(`package check FAILED: ${failures} problem(s) (${seconds} s)`);
  process.exit(1);
}
console.log(`package check passed in ${seconds} s: ${sources.map((s) => s.name).join(', ')} installs (details above)`);
