// `npm run bench -- NAME [args…]` runs bench/NAME.bench.ts, which prints its figures and writes them as JSON to
// bench/results/NAME.json. Without NAME it lists the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length));
if (name === undefined) {
  console.log(`benchmarks: ${available.join(', ') || '(none)'}\nrun one with: npm run bench -- NAME`);
  process.exit(0);
}
const file = `bench/${name}.bench.ts`;
if (!existsSync(file)) {
  console.error(`no benchmark ${JSON.stringify(name)}; available: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
