// Documentation code that cannot rot: every `@example` in src/ TSDoc and every ```ts block in
// README.md, CONTRIBUTING.md and docs/*.md (not docs/api/, TypeDoc's output)
// is type-checked against the library's source with TypeScript, in one program. `npm test` runs it.
//
// The convention an example follows (written out in CONTRIBUTING.md):
// - It is code a user writes against the package: it imports from 'foldnet', 'foldnet/node' and
//   'foldnet/onnx' (mapped to src/index.ts, src/node.ts and src/onnx.ts here). Public names it
//   uses without importing them are imported for it, so a one-line `@example` needs no import line.
// - Names it uses without defining them (`net`, `x`, `y`, `p0`, …) are the usual suspects of
//   CONTEXT below: declared, typed, never run. An example that needs another type defines its own.
// - A line meant not to compile is followed by a comment line holding the `~~~` underline or
//   starting with `ShapeError<`, or ends in a comment holding `ShapeError<"…">`. That line must
//   fail, and with the `ShapeError` text the comment quotes; any other error is a failure.
// - A block whose first line is `// <file path>` (a file of a user's app, as in the tsd recipe),
//   or that imports 'tsd', is a recipe checked elsewhere (scripts/check-package.mjs) and skipped here.
//
// Prints one line per problem (file:line of the example, the message) and exits 1 if there is any.
//
// Usage: node scripts/check-examples.mjs [--list]    (--list prints each example's generated file)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const list = process.argv.includes('--list');

/** The package's entry points, in the order a free name is looked up. */
const ENTRIES = [
  ['foldnet', 'src/index.ts'],
  ['foldnet/node', 'src/node.ts'],
  ['foldnet/onnx', 'src/onnx.ts'],
];

/**
 * What an example may use without defining it. Each is declared (never run) when the example uses
 * the name and neither imports nor defines it. Keep it to the names the docs use throughout.
 */
const CONTEXT = new Map([
  ['E', "import * as E from 'fp-ts/lib/Either.js'"],
  ['pipe', "import { pipe } from 'fp-ts/lib/function.js'"],
  ['t', "import * as t from 'io-ts'"],
  ['readFileSync', "import { readFileSync } from 'node:fs'"],
  ['writeFileSync', "import { writeFileSync } from 'node:fs'"],
  ['net', 'const net = sequential(dense(4, 16), relu, dense(16, 1))'],
  ['p0', 'declare const p0: ParamsOf<typeof net>'],
  ['params', 'declare const params: ParamsOf<typeof net>'],
  ['θ', 'declare const θ: ParamsOf<typeof net>'],
  ['x', 'declare const x: Mat<number, 4>'],
  ['y', 'declare const y: Mat<number, 1>'],
  ['xTest', 'declare const xTest: Mat<number, 4>'],
  ['yTest', 'declare const yTest: Mat<number, 1>'],
  ['xVal', 'declare const xVal: Mat<number, 4>'],
  ['yVal', 'declare const yVal: Mat<number, 1>'],
  ['x0', 'declare const x0: Mat<1, 4>'],
  ['data', 'declare const data: { readonly x: Mat<number, 4>; readonly y: Mat<number, 1> }'],
  ['iris', 'declare const iris: ClassificationTable<4, 3>'],
  ['text', 'declare const text: string'],
  ['rows', 'declare const rows: number[][]'],
  ['xTrain', 'declare const xTrain: Mat<number, 4>'],
  ['yTrain', 'declare const yTrain: Mat<number, 1>'],
  ['series', 'declare const series: Mat<number, 4>'],
  ['result', 'declare const result: FitResult<ParamsOf<typeof net>, unknown>'],
  ['opts', 'const opts = { loss: mse, optimizer: adam(1e-3), epochs: 100, batchSize: 32, key: key(1) } as const'],
]);
/** Names CONTEXT's declarations use, imported for them when the example does not. */
const CONTEXT_NEEDS = ['sequential', 'dense', 'relu', 'ParamsOf', 'Mat', 'ClassificationTable', 'FitResult', 'mse', 'adam', 'key'];

// ---- the examples ------------------------------------------------------------------------------

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

/** `@example` blocks of src/: `{ where, code, firstLine }` (firstLine: the file line of the code's first line). */
const tsdocExamples = () =>
  walk(resolve(root, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      const found = [];
      for (let i = 0; i < lines.length; i += 1) {
        if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
        const body = [];
        let j = i + 1;
        for (; j < lines.length; j += 1) {
          const l = lines[j];
          if (/^\s*\*\//.test(l) || /^\s*\*\s*@\w+/.test(l)) break;
          body.push(l.replace(/^\s*\* ?/, ''));
        }
        // A fenced example keeps only its fence's content.
        const fenced = body.indexOf(body.find((l) => l.startsWith('```')) ?? '');
        const code = fenced >= 0 ? body.slice(fenced + 1, body.indexOf('```', fenced + 1)) : body;
        const home = relative(resolve(root, '.doc-examples'), file).replace(/\.ts$/, '.js');
        found.push({ where: `${relative(root, file)}:${i + 1}`, home, code: code.join('\n'), firstLine: (fenced >= 0 ? fenced + 1 : 0) + i + 2 });
        i = j - 1;
      }
      return found;
    });

/** The Markdown files whose ```ts blocks are checked. */
export const markdownFiles = () => [
  'README.md',
  'CONTRIBUTING.md',
  ...(existsSync(resolve(root, 'docs')) ? readdirSync(resolve(root, 'docs'), { withFileTypes: true }) : [])
    .filter((d) => d.isFile() && d.name.endsWith('.md'))
    .map((d) => `docs/${d.name}`)
    .sort(),
];

const markdownExamples = () =>
  markdownFiles().flatMap((file) => {
    const path = resolve(root, file);
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    const lines = text.split('\n');
    const found = [];
    for (let i = 0; i < lines.length; i += 1) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const end = lines.findIndex((l, k) => k > i && l.startsWith('```'));
      const code = lines.slice(i + 1, end);
      i = end;
      if (/^\/\/ [\w./-]+\.\w+\b/.test(code[0] ?? '') || code.some((l) => /from 'tsd'/.test(l))) continue;
      found.push({ where: `${file}:${i - code.length}`, code: code.join('\n'), firstLine: i - code.length + 1 });
    }
    return found;
  });

// ---- names ---------------------------------------------------------------------------------------

const options = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  noErrorTruncation: true,
  allowUnreachableCode: true,
  types: ['node'],
  baseUrl: root,
  paths: Object.fromEntries(ENTRIES.map(([name, file]) => [name, [file]])),
};

/** The names each entry point exports. */
const exportsOf = (() => {
  const program = ts.createProgram({ rootNames: ENTRIES.map(([, f]) => resolve(root, f)), options });
  const checker = program.getTypeChecker();
  const moduleExports = (specifier) => {
    const sf = program.getSourceFile(resolve(root, '.doc-examples', specifier).replace(/\.js$/, '.ts'));
    const symbol = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
    return new Set(symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((s) => s.name));
  };
  return { program, moduleExports, names: ENTRIES.map(([name, file]) => [name, new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(resolve(root, file)))).map((s) => s.name))]) };
})();

/** Identifiers an example's code uses, and the names it binds at its top level (imports included). */
const namesIn = (code) => {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true);
  const used = new Set();
  const bound = new Set();
  const visit = (n) => {
    const p = n.parent;
    const isPropertyName = p !== undefined && (ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isQualifiedName(p) || ts.isMethodDeclaration(p)) && p.name === n;
    if (ts.isIdentifier(n) && !isPropertyName) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const bind = (name) => {
    if (ts.isIdentifier(name)) bound.add(name.text);
    else for (const e of name.elements ?? []) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      if (c?.name) bound.add(c.name.text);
      const nb = c?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) bound.add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) bound.add(e.name.text);
    } else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) && s.name) bound.add(s.name.text);
  }
  return { used, bound };
};

/** The example as a module: auto-imports and context lines, then the code (with the line offset). */
const moduleOf = (code, home) => {
  const { used, bound } = namesIn(code);
  // The context the example uses, and the context those declarations use in turn.
  const context = new Set();
  const add = (names) => {
    for (const n of names) {
      if (!CONTEXT.has(n) || bound.has(n) || context.has(n)) continue;
      context.add(n);
      add(namesIn(CONTEXT.get(n)).used);
    }
  };
  add(used);
  const contextLines = [...CONTEXT.keys()].filter((n) => context.has(n)).map((n) => CONTEXT.get(n));
  const needed = new Set([...used, ...contextLines.flatMap((l) => [...namesIn(l).used])]);
  const taken = new Set([...bound, ...context]);
  // Public names first; then, for an example in src/, what its own module exports.
  const sources = [...exportsOf.names, ...(home === undefined ? [] : [[home, exportsOf.moduleExports(home)]])];
  const imports = sources.flatMap(([pkg, names]) => {
    const mine = [...needed].filter((n) => names.has(n) && !taken.has(n));
    for (const n of mine) taken.add(n);
    return mine.length === 0 ? [] : [`import { ${mine.join(', ')} } from '${pkg}'`];
  });
  const head = [...imports, ...contextLines.filter((l) => l.startsWith('import')), ...contextLines.filter((l) => !l.startsWith('import'))];
  // `export {}` keeps an example without imports a module (its names do not leak into the others).
  return { text: [...head, 'export {}', code, ''].join('\n'), offset: head.length + 1 };
};

// ---- expected errors -----------------------------------------------------------------------------

/** Lines meant not to compile: 0-based line in the code → the ShapeError text its comment quotes (or ''). */
const expectedErrors = (code) => {
  const lines = code.split('\n');
  const expected = new Map();
  const comment = (l) => /^\s*\/\//.test(l);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (comment(line) || line.trim() === '') continue;
    const annotation = [];
    const trailing = /\/\/(.*)$/.exec(line.replace(/'[^']*'/g, "''"));
    if (trailing && /ShapeError</.test(line.slice(line.lastIndexOf('//')))) annotation.push(line.slice(line.lastIndexOf('//') + 2));
    else {
      const first = lines[i + 1] ?? '';
      if (!(comment(first) && (/^\s*\/\/\s*~+/.test(first) || /^\s*\/\/\s*(…\s*)?'?ShapeError</.test(first)))) continue;
      for (let k = i + 1; k < lines.length && comment(lines[k]); k += 1) annotation.push(lines[k].replace(/^\s*\/\//, ''));
    }
    const text = annotation.join(' ').replace(/\s+/g, ' ');
    const m = /ShapeError<"(.*?)">/.exec(text);
    expected.set(i, m ? m[1] : '');
  }
  return expected;
};

// ---- check ---------------------------------------------------------------------------------------

const examples = [...tsdocExamples(), ...markdownExamples()];
const files = new Map(
  examples.map((ex, k) => {
    const { text, offset } = moduleOf(ex.code, ex.home);
    return [resolve(root, `.doc-examples/example-${k}.ts`), { ...ex, text, offset, expected: expectedErrors(ex.code) }];
  }),
);
if (list) for (const [file, ex] of files) console.log(`// ---- ${ex.where} (${relative(root, file)})\n${ex.text}`);

const host = ts.createCompilerHost(options);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, lang, ...rest) => {
  const ex = files.get(resolve(name));
  return ex === undefined ? getSourceFile(name, lang, ...rest) : ts.createSourceFile(name, ex.text, lang, true);
};
const fileExists = host.fileExists.bind(host);
host.fileExists = (name) => files.has(resolve(name)) || fileExists(name);
const readFile = host.readFile.bind(host);
host.readFile = (name) => files.get(resolve(name))?.text ?? readFile(name);

const program = ts.createProgram({ rootNames: [...files.keys()], options, host, oldProgram: exportsOf.program });
const problems = [];
for (const [file, ex] of files) {
  const sf = program.getSourceFile(file);
  const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  const failed = new Map();
  for (const d of diagnostics) {
    const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line - ex.offset;
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ');
    const want = ex.expected.get(line);
    if (want === undefined) {
      problems.push(`${ex.where.replace(/:\d+$/, '')}:${ex.firstLine + line}  ${message}`);
      continue;
    }
    failed.set(line, [...(failed.get(line) ?? []), message]);
  }
  for (const [line, want] of ex.expected) {
    const got = failed.get(line) ?? [];
    const at = `${ex.where.replace(/:\d+$/, '')}:${ex.firstLine + line}`;
    if (got.length === 0) problems.push(`${at}  expected this line not to compile, but it does`);
    else if (want !== '' && !got.some((m) => m.includes(`ShapeError<"${want}">`) || m.includes(want))) problems.push(`${at}  expected the error ShapeError<"${want}">, got: ${got.join(' | ')}`);
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\ncheck-examples: ${problems.length} problem(s) in ${files.size} examples (node scripts/check-examples.mjs --list shows the generated files)`);
  process.exit(1);
}
const expectedCount = [...files.values()].reduce((n, ex) => n + ex.expected.size, 0);
console.log(`check-examples: all ${files.size} examples compile (${tsdocExamples().length} TSDoc @example blocks, the rest from Markdown; ${expectedCount} lines fail as documented)`);
