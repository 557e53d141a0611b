// `npm run conformance:promql -- [-v] [--dir DIR] [--groups N] [FILTER…]` runs upstream's PromQL `.test` files
// (../shared/conformance/promql/testdata) against vigil's engine. FILTER is part of a file name, optionally with
// `:LINE` for one eval (`functions:120`). Prints a line per file, skip reasons, failure kinds grouped, failures in
// full with -v, and last `N passed, M failed, K skipped`. Exits 1 when an eval failed, 2 on bad arguments.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../src/promql/index.ts';
import {
  countReasons,
  defaultTestdataDir,
  type FileReport,
  failureGroups,
  failureText,
  fileLine,
  listTestFiles,
  runTestFile,
  totalsLine,
  upstreamTestEngineOptions,
} from '../src/promql/promqltest/index.ts';

const args = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        verbose: { type: 'boolean', short: 'v', default: false },
        dir: { type: 'string', default: defaultTestdataDir },
        groups: { type: 'string', default: '25' },
      },
    });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
})();

const filters = args.positionals.map((p) => {
  const m = /^(.*?)(?::(\d+))?$/.exec(p) as RegExpExecArray;
  return { name: m[1] as string, line: m[2] === undefined ? undefined : Number(m[2]) };
});
const files = listTestFiles(args.values.dir).filter(
  (f) => filters.length === 0 || filters.some((x) => basename(f).includes(x.name)),
);
if (files.length === 0) {
  console.error(`no .test file matches ${args.positionals.join(' ')}`);
  process.exit(2);
}

const engine = new Engine(upstreamTestEngineOptions);
const reports: FileReport[] = [];
for (const path of files) {
  const name = basename(path);
  const lines = filters.filter((x) => name.includes(x.name)).map((x) => x.line);
  const onlyLines = lines.includes(undefined) || lines.length === 0 ? undefined : (l: number) => lines.includes(l);
  const report = await runTestFile(readFileSync(path, 'utf8'), name, engine, { onlyLines });
  reports.push(report);
  console.log(fileLine(report));
  if (args.values.verbose) {
    for (const o of report.outcomes) if (o.status === 'failed') console.log(`${failureText(o)}\n`);
  }
}

const skips = countReasons(reports, 'skipped');
if (skips.length > 0) console.log(`\nskipped: ${skips.map(([r, n]) => `${n} ${r}`).join(', ')}`);
const kinds = countReasons(reports, 'failed');
if (kinds.length > 0) {
  console.log(`failed by kind: ${kinds.map(([r, n]) => `${n} ${r}`).join(', ')}`);
  console.log('most common failures:');
  for (const g of failureGroups(reports).slice(0, Number(args.values.groups))) {
    console.log(`  ${String(g.count).padStart(4)}  ${g.key}  (${g.where.join(', ')})`);
  }
}
console.log(totalsLine(reports));
process.exit(reports.some((r) => r.failed > 0) ? 1 : 0);
