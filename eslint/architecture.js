// The project's own lint rules for its architecture (DESIGN.md, "Layers"):
// - `layers`: an import may not point up the table. The import is resolved against the importing
//   file, so a folder that happens to share a layer's name (client/sources/relay) is not confused
//   with the layer (src/relay).
// - `no-cycle`: no chain of relative imports leads back to the importing file. Cycles make load
//   order matter and hide which module owns what; type-only imports count too, because a cycle of
//   types is still a knot in the design.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

/** The layer (first folder under src/) of an absolute path, or null outside src/. */
function layerOf(file) {
  const relative = path.relative(SRC, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep)[0];
}

/** './x.js' from a TypeScript file means './x.ts' (or .cts/.mts) on disk. */
function resolveSource(fromFile, specifier) {
  if (!specifier.startsWith('.')) return null;
  const target = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.cjs$/, '.cts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, path.join(target, 'index.ts')];
  return candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile()) ?? null;
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid imports that point up the layer table of DESIGN.md' },
    schema: [{ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }],
    messages: { forbidden: 'src/{{from}} may not import src/{{to}} (see DESIGN.md, "Layers").' },
  },
  create(context) {
    const forbidden = context.options[0] ?? {};
    const file = context.filename;
    const from = layerOf(file);
    if (from === null || !forbidden[from]) return {};
    const check = (node, specifier) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(file), specifier));
      if (to !== null && to !== from && forbidden[from].includes(to)) context.report({ node, messageId: 'forbidden', data: { from, to } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

const IMPORT_PATTERN = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const importsCache = new Map();

function importsOf(file) {
  let cached = importsCache.get(file);
  if (cached === undefined) {
    const text = fs.readFileSync(file, 'utf8');
    cached = [];
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const resolved = resolveSource(file, match[1] ?? match[2]);
      if (resolved !== null) cached.push(resolved);
    }
    importsCache.set(file, cached);
  }
  return cached;
}

/** A path of imports from `start` back to `start`, or null. Depth-first over files on disk. */
function findCycle(start, first) {
  const seen = new Set();
  const stack = [[first, [start, first]]];
  while (stack.length > 0) {
    const [file, trail] = stack.pop();
    if (file === start) return trail;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOf(file)) stack.push([next, [...trail, next]]);
  }
  return null;
}

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles between the project’s modules' },
    schema: [],
    messages: { cycle: 'Import cycle: {{trail}}' },
  },
  create(context) {
    const file = context.filename;
    // Each lint run reads the files afresh (an editor's long-lived ESLint sees edits).
    importsCache.clear();
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const target = resolveSource(file, specifier);
      if (target === null) return;
      const trail = findCycle(file, target);
      if (trail !== null) context.report({ node, messageId: 'cycle', data: { trail: trail.map((step) => path.relative(SRC, step)).join(' → ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers, 'no-cycle': noCycle } };
