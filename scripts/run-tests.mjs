// Runs every *.test.ts under src/ and test/ with node's test runner (TAP output, so `# pass N` / `# fail N`
// close the run). Fails when it finds no test file: a glob that matched nothing must not pass as green.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') find(p, out);
    else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...find('src'), ...find('test')].sort();
if (files.length === 0) {
  console.error('run-tests: no *.test.ts files found under src/ or test/');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
