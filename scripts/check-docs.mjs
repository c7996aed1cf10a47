// The public surface keeps its documentation standard: every export reachable from the package
// entry points (src/index.ts, src/node.ts, src/onnx.ts, and the members of the namespaces they re-export) has a
// TSDoc comment with `@since` and `@category`, and no exported declaration spells `any` in its
// type. Prints one line per problem and exits 1 if there is any; `npm test` runs it.
//
// Usage: node scripts/check-docs.mjs
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entries = ['src/index.ts', 'src/node.ts', 'src/onnx.ts'].map((f) => resolve(root, f));

const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
// Only the entry points' import graph is needed, not the tests and examples.
const program = ts.createProgram({ rootNames: entries, options: { ...config.options, noEmit: true } });
const checker = program.getTypeChecker();

/**
 * The exports allowed to spell `any`, each with the reason. Keep it short: a new entry needs the
 * same argument (no `unknown`/`never` bound is sound).
 */
const ALLOW_ANY = new Map([
  ['AnyLayer', 'the only sound "some fixed-width layer" bound: Layer is invariant in I, O and P (argument and result positions)'],
  ['AnyPolyLayer', 'the same bound for shape-polymorphic layers (PolyLayer is invariant in P)'],
]);

const problems = new Map();
const report = (node, name, what) => {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const where = `${relative(root, sf.fileName)}:${line + 1}`;
  // One line per place and problem (an export reachable under two names is reported once).
  const id = `${where} ${what}`;
  if (!problems.has(id)) problems.set(id, `${where}  ${name}: ${what}`);
};

/** The node a declaration's doc comment hangs on (a `const` carries it on its statement). */
const docHost = (decl) =>
  ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) ? decl.parent.parent : decl;

/** The JSDoc blocks written on the node itself (not inherited from a parent). */
const jsDocs = (node) => (node.jsDoc ?? []).filter((d) => ts.isJSDoc(d));

const docOf = (decl) => {
  const docs = jsDocs(docHost(decl));
  if (docs.length === 0) return undefined;
  const tags = new Set(docs.flatMap((d) => (d.tags ?? []).map((t) => t.tagName.text)));
  const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join('').trim();
  return { tags, text };
};

/** Every explicit `any` in the declaration's type (function and arrow bodies are not its type). */
const anyIn = (decl) => {
  const found = [];
  const visit = (n) => {
    if (n.kind === ts.SyntaxKind.AnyKeyword) return void found.push(n);
    if (ts.isFunctionLike(n)) {
      n.typeParameters?.forEach(visit);
      n.parameters.forEach(visit);
      if (n.type !== undefined) visit(n.type);
      return;
    }
    if (ts.isVariableDeclaration(n) && n.type !== undefined) return visit(n.type);
    ts.forEachChild(n, visit);
  };
  visit(decl);
  return found;
};

const seen = new Set();
let checked = 0;
const checkSymbol = (exported, via) => {
  const name = via === '' ? exported.name : `${via}.${exported.name}`;
  const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const decls = target.declarations ?? [];

  // `export * as ns from './mod.js'`: the comment sits on the re-export, then every member counts.
  const moduleDecl = decls.find((d) => ts.isSourceFile(d));
  if (moduleDecl !== undefined) {
    const reexport = (exported.declarations ?? []).find((d) => ts.isNamespaceExport(d) || ts.isExportSpecifier(d));
    const host = reexport === undefined ? undefined : ts.isNamespaceExport(reexport) ? reexport.parent : reexport;
    if (host !== undefined) checkDoc(host, name, host);
    if (!seen.has(target)) {
      seen.add(target);
      for (const s of checker.getExportsOfModule(target)) checkSymbol(s, name);
    }
    return;
  }
  const own = decls.filter((d) => !d.getSourceFile().isDeclarationFile && !d.getSourceFile().fileName.includes('node_modules'));
  if (own.length === 0) return;
  const key = `${name}@${own.map((d) => d.pos).join(',')}${own[0].getSourceFile().fileName}`;
  if (seen.has(key)) return;
  seen.add(key);
  checked += 1;
  const documented = own.find((d) => docOf(d) !== undefined) ?? own[0];
  checkDoc(documented, name, documented);
  if (!ALLOW_ANY.has(name)) for (const d of own) for (const a of anyIn(d)) report(a, name, '`any` in an exported type');
};

const checkDoc = (decl, name, at) => {
  const doc = jsDocs(decl).length > 0 || !ts.isExportDeclaration(decl) ? docOf(decl) : undefined;
  if (doc === undefined) return report(at, name, 'no TSDoc comment');
  if (doc.text === '') report(at, name, 'TSDoc comment has no text');
  for (const tag of ['since', 'category']) if (!doc.tags.has(tag)) report(at, name, `no @${tag}`);
};

for (const file of entries) {
  const sf = program.getSourceFile(file);
  const moduleSymbol = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
  if (moduleSymbol === undefined) {
    console.error(`check-docs: cannot read ${relative(root, file)}`);
    process.exit(2);
  }
  for (const s of checker.getExportsOfModule(moduleSymbol)) checkSymbol(s, '');
}

const lines = [...problems.values()].sort();
if (lines.length > 0) {
  console.error(lines.join('\n'));
  console.error(`\ncheck-docs: ${lines.length} problem(s) in the public surface (TSDoc with @since and @category, no \`any\`)`);
  process.exit(1);
}
console.log(`check-docs: all ${checked} public exports are documented (@since, @category) and free of \`any\``);
