// Bundles ui/ into dist/ui: hashed assets under dist/ui/assets/ and an index.html naming them. Offline: everything
// comes from node_modules. Prints each asset's size and the gzipped size of what the first page loads.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const out = 'dist/ui';
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: ['ui/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

const outputs = result.metafile.outputs;
const entry = Object.entries(outputs).find(([, o]) => o.entryPoint === 'ui/main.ts');
if (!entry) throw new Error('build-ui: esbuild produced no output for ui/main.ts');
const [entryJs, entryMeta] = entry;
const css = entryMeta.cssBundle;
const template = readFileSync('ui/index.html', 'utf8');
const html = template
  .replace('<!--css-->', css ? `<link rel="stylesheet" href="/assets/${basename(css)}">` : '')
  .replace('<!--js-->', `<script type="module" src="/assets/${basename(entryJs)}"></script>`);
writeFileSync(join(out, 'index.html'), html);

// What a page costs: the entry (the shell), its CSS and the page's lazy chunk, each with its static imports.
const gz = (f) => gzipSync(readFileSync(f)).length;
const closure = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const imp of outputs[file]?.imports ?? []) if (imp.kind === 'import-statement') closure(imp.path, seen);
  return seen;
};
const shell = closure(entryJs);
if (css) shell.add(css);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);
const pages = entryMeta.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
const report = pages.map((p) => {
  const files = closure(p, new Set(shell));
  return `${basename(p).replace(/-[A-Z0-9]+\.js$/, '')} ${kib(sum(files))}`;
});
console.log(`build-ui: gzipped, shell ${kib(sum(shell))}; shell + page: ${report.join(', ')}`);
