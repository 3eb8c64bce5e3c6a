// No import cycles: reads every .ts file under src/, media/, test/ and scripts/ with TypeScript's parser, follows
// their relative imports and re-exports (`import type` and all-`type` imports left out: they vanish when compiled)
// and reports each cycle (a strongly connected component, Tarjan) with one path around it. A cycle listed in
// scripts/known-cycles.txt, with its reason, is reported but passes. Exit 1 on any other cycle.
//   node scripts/check-cycles.mjs        (run by `npm run lint`)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (f) => path.relative(root, f).split(path.sep).join('/');

function tsFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const f = path.join(dir, name);
    if (statSync(f).isDirectory()) tsFiles(f, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(f);
  }
  return out;
}

function resolve(from, spec) {
  if (!spec.startsWith('.')) return undefined; // a package or a Node built-in
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (existsSync(f) && statSync(f).isFile()) return f;
  return undefined;
}

/** The files `file` imports at run time. */
function runtimeImports(file) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c?.isTypeOnly) continue;
      const named = c?.namedBindings;
      const allTypes =
        c &&
        !c.name &&
        named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!allTypes) specs.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      const named = st.exportClause;
      const allTypes =
        named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!allTypes) specs.push(st.moduleSpecifier.text);
    }
  }
  return [...new Set(specs.map((s) => resolve(file, s)).filter(Boolean))];
}

const files = ['src', 'media', 'test', 'scripts'].flatMap((d) => tsFiles(path.join(root, d)));
const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

// Tarjan's strongly connected components; recursive: its depth is at most the number of files (144 today).
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const sccs = [];
let next = 0;
function visit(v) {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) sccs.push(scc);
  }
}
for (const f of files) if (!index.has(f)) visit(f);

/** One way around the component, from its first file (by name) back to it: a path a reader can follow. */
function cyclePath(scc) {
  const inScc = new Set(scc);
  const start = [...scc].sort()[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const p = [];
        for (let x = v; x; x = prev.get(x)) p.unshift(x);
        return [...p, start].map(rel).join(' → ');
      }
      if (inScc.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return scc.map(rel).join(' → ');
}

// Known cycles: "fileA fileB … -- reason", one a line; '#' starts a comment line.
const listFile = path.join(root, 'scripts', 'known-cycles.txt');
const known = (existsSync(listFile) ? readFileSync(listFile, 'utf8').split('\n') : [])
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [names, reason = ''] = l.split(' -- ');
    return { key: names.trim().split(/\s+/).sort().join(' '), reason: reason.trim(), seen: false };
  });

let bad = 0;
for (const scc of sccs) {
  const key = scc.map(rel).sort().join(' ');
  const k = known.find((e) => e.key === key);
  if (k) {
    k.seen = true;
    console.log(`check-cycles: known cycle (scripts/known-cycles.txt: ${k.reason}): ${cyclePath(scc)}`);
  } else {
    bad++;
    console.error(`check-cycles: import cycle: ${cyclePath(scc)}`);
  }
}
for (const k of known)
  if (!k.seen) console.log(`check-cycles: no longer a cycle, delete it from scripts/known-cycles.txt: ${k.key}`);
console.log(`check-cycles: ${files.length} files, ${sccs.length} cycle(s), ${bad} not allowed`);
process.exit(bad ? 1 : 0);
