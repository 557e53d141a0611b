// The import graph is a contract (../shared/DESIGN.md): this walks src/ and fails on an import that points up
// a layer, or that reaches into another module past its index.ts (tests may also use a module's testing.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** What each module may import besides itself. `cli/` and the files at the top of src/ wire everything. */
const allowed: Record<string, readonly string[]> = {
  model: [],
  template: ['model'],
  log: [],
  config: ['model'],
  storage: ['model'],
  exposition: ['model'],
  tsdb: ['model', 'storage', 'log', 'config'],
  promql: ['model', 'storage', 'log', 'config'],
  scrape: ['model', 'storage', 'exposition', 'log', 'config'],
  collector: ['model', 'storage', 'exposition', 'log', 'config'],
  store: ['model', 'log'],
  notify: ['model', 'store', 'log', 'config'],
  rules: ['model', 'storage', 'promql', 'log', 'config', 'template'],
  alerting: ['model', 'store', 'notify', 'template', 'log', 'config'],
  chatops: ['model', 'store', 'notify', 'log', 'config'],
  gateway: ['model', 'store', 'notify', 'exposition', 'log', 'config'],
  reports: ['model', 'store', 'notify', 'log', 'config'],
  server: ['model', 'storage', 'exposition', 'promql', 'scrape', 'store', 'log', 'config'],
};
const isWiring = (m: string) => m === 'cli' || m.endsWith('.ts');

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const moduleOf = (file: string) => relative(src, file).split('/')[0] as string;
const importPattern = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm;

describe('the import graph', () => {
  const all = files(src);

  it('has a rule for every module in src/', () => {
    const modules = new Set(all.map(moduleOf));
    for (const m of modules)
      assert.ok(m in allowed || isWiring(m), `src/${m} has no entry in the import rules of this test`);
  });

  it('points every import down the layers, and into other modules only through their index.ts', () => {
    const problems: string[] = [];
    for (const file of all) {
      const from = moduleOf(file);
      if (isWiring(from)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importPattern)) {
        const target = resolve(dirname(file), (m[1] ?? m[2]) as string);
        const to = moduleOf(target);
        if (to === from) continue;
        const where = relative(src, file);
        if (isWiring(to)) problems.push(`${where} imports ${to}, which only wires`);
        else if (!allowed[from]?.includes(to)) problems.push(`${where} imports ${to}: not allowed for ${from}`);
        const face = relative(join(src, to), target);
        const testSupport = face === 'testing.ts' && file.endsWith('.test.ts');
        if (to in allowed && face !== 'index.ts' && !testSupport) {
          problems.push(`${where} imports ${relative(src, target)}: import ${to}/index.ts instead`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
