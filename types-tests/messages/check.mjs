#!/usr/bin/env node
// Message-aware type check. tsd's `expectError` only asserts that *some* error occurs; this
// checks that each shape mistake produces the right message on the right line, on TypeScript 6
// and on TypeScript 7, against the BUILT package (run `npm run build` first).
//
// Each subdirectory with a tsconfig.json is a fixture set (a small "user project" importing
// 'foldnet' by name). Every fixture line that must fail carries one trailing annotation:
//
//   sequential(dense(4, 8), dense(6, 2)); // @expect-shape-error: sequential: layer #2 expects input dim 6, but layer #1 outputs 8
//     the diagnostic on this line must contain exactly ShapeError<"<text>">
//   net.forward(p, x5); // @expect-error: Argument of type 'Mat<1, 5>' is not assignable
//     the diagnostic on this line must contain <text>
//
// Messages are matched by text, never by error code (TypeScript 7 reports TS2741 where 6 reports
// TS2345). Any error on a line without an annotation fails the check, so fixtures without
// annotations (accepted.ts) must compile cleanly. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { targets as generated } from './long-chain.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const rel = (f) => path.relative(root, f);

const compilers = [
  { name: 'TypeScript 6', pkg: 'typescript' },
  { name: 'TypeScript 7', pkg: 'typescript7' },
].map((c) => {
  const dir = path.join(root, 'node_modules', c.pkg);
  const version = existsSync(path.join(dir, 'package.json')) ? JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version : null;
  return { ...c, bin: path.join(dir, 'bin', 'tsc'), version };
});

const problems = [];
const fail = (msg) => problems.push(msg);

// ---- preconditions -------------------------------------------------------------------------
const distTypes = path.join(root, 'dist', 'index.d.ts');
if (!existsSync(distTypes)) {
  console.error(`message check: ${rel(distTypes)} is missing; run \`npm run build\` first (npm run test:types does).`);
  process.exit(2);
}
for (const c of compilers) {
  if (c.version === null) {
    console.error(`message check: ${c.name} is not installed (node_modules/${c.pkg}); run \`npm ci\`.`);
    process.exit(2);
  }
}
for (const t of generated) {
  const want = t.source();
  const have = existsSync(t.file) ? readFileSync(t.file, 'utf8') : null;
  if (have !== want) fail(`${rel(t.file)} is out of date; regenerate it with \`node types-tests/messages/long-chain.mjs\``);
}

// ---- fixtures and their annotations --------------------------------------------------------
const ANNOTATION = /\/\/ @expect-(shape-error|error): (.+?)\s*$/;

const sets = readdirSync(here)
  .map((d) => path.join(here, d))
  .filter((d) => statSync(d).isDirectory() && existsSync(path.join(d, 'tsconfig.json')))
  .map((dir) => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
    const expectations = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((text, i) => {
          const m = ANNOTATION.exec(text);
          return m === null ? [] : [{ file, line: i + 1, kind: m[1], text: m[2] }];
        }),
    );
    return { name: path.basename(dir), dir, files, expectations };
  });

if (sets.length === 0) fail(`no fixture sets (directories with a tsconfig.json) under ${rel(here)}`);
for (const s of sets) if (s.files.length === 0) fail(`fixture set ${s.name} has no .ts files`);

// ---- running a compiler --------------------------------------------------------------------
const run = (compiler, set) =>
  new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [compiler.bin, '-p', set.dir, '--pretty', 'false', '--listFiles'], { cwd: set.dir });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ compiler, set, code, out, seconds: (performance.now() - started) / 1000 }));
  });

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** Diagnostics (with their indented continuation lines joined) and the list of compiled files. */
const parse = (out, cwd) => {
  const diagnostics = [];
  const listed = new Set();
  const other = [];
  for (const line of out.split('\n')) {
    const m = DIAGNOSTIC.exec(line);
    if (m !== null) diagnostics.push({ file: path.resolve(cwd, m[1]), line: Number(m[2]), col: Number(m[3]), code: m[4], text: m[5] });
    else if (/^\s/.test(line) && diagnostics.length > 0) diagnostics[diagnostics.length - 1].text += `\n${line}`;
    else if (path.isAbsolute(line.trim())) listed.add(path.resolve(line.trim()));
    else if (line.trim() !== '') other.push(line);
  }
  return { diagnostics, listed, other };
};

const matches = (exp, diag) =>
  exp.kind === 'shape-error' ? diag.text.includes(`ShapeError<"${exp.text}">`) : diag.text.includes(exp.text);

const indent = (s) => s.split('\n').map((l) => `      ${l}`).join('\n');

/** Checks one compiler's output on one set; returns counts and pushes failures. */
const judge = ({ compiler, set, out }) => {
  const who = `${compiler.name} (${compiler.version}), set ${set.name}`;
  const { diagnostics, listed, other } = parse(out, set.dir);
  for (const line of other) fail(`${who}: unexpected compiler output: ${line}`);
  for (const f of set.files) if (!listed.has(f)) fail(`${who}: ${rel(f)} was not compiled (check the set's tsconfig "include")`);
  if (![...listed].some((f) => f === distTypes)) fail(`${who}: 'foldnet' did not resolve to the built ${rel(distTypes)}`);

  const used = new Set();
  let met = 0;
  for (const exp of set.expectations) {
    const onLine = diagnostics.filter((d) => d.file === exp.file && d.line === exp.line);
    const hit = onLine.find((d) => !used.has(d) && matches(exp, d));
    if (hit !== undefined) {
      used.add(hit);
      met++;
      continue;
    }
    for (const d of onLine) used.add(d); // reported here, not again as "unexpected"
    const want = exp.kind === 'shape-error' ? `ShapeError<"${exp.text}">` : exp.text;
    const got = onLine.length === 0 ? '      (no error on this line)' : onLine.map((d) => indent(`${d.code} at column ${d.col}: ${d.text}`)).join('\n');
    fail(`${who}: ${rel(exp.file)}:${exp.line}: expected an error containing\n      ${want}\n    but got:\n${got}`);
  }
  const unexpected = diagnostics.filter((d) => !used.has(d));
  for (const d of unexpected) fail(`${who}: ${rel(d.file)}:${d.line}:${d.col}: unexpected error ${d.code}:\n${indent(d.text)}`);
  return { met, unexpected: unexpected.length };
};

// ---- main ----------------------------------------------------------------------------------
const started = performance.now();
const jobs = compilers.flatMap((c) => sets.map((s) => () => run(c, s)));
const results = [];
const pool = Array.from({ length: Math.min(jobs.length, Math.max(1, availableParallelism())) }, async () => {
  for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) results.push(await job());
});
await Promise.all(pool);

let expected = 0;
let met = 0;
let unexpected = 0;
for (const r of results.sort((a, b) => a.compiler.name.localeCompare(b.compiler.name) || a.set.name.localeCompare(b.set.name))) {
  const before = problems.length;
  const j = judge(r);
  expected += r.set.expectations.length;
  met += j.met;
  unexpected += j.unexpected;
  const ok = problems.length === before;
  const clean = r.set.files.filter((f) => !r.set.expectations.some((e) => e.file === f)).length;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${r.compiler.name} (${r.compiler.version}) ${r.set.name}: ${j.met}/${r.set.expectations.length} expected errors, ` +
      `${j.unexpected} unexpected, ${r.set.files.length} file(s) of which ${clean} without annotations, ${r.seconds.toFixed(1)} s`,
  );
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const versions = compilers.map((c) => c.version).join(' and ');
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n`);
  for (const p of problems) console.error(`  - ${p}\n`);
  console.error(`message check FAILED: ${met}/${expected} expected errors found, ${unexpected} unexpected, on TypeScript ${versions} (${seconds} s)`);
  process.exit(1);
}
console.log(`message check passed: ${met}/${expected} expected errors with the right text and line, 0 unexpected, on TypeScript ${versions} (${seconds} s)`);
