// Upstream's PromQL `.test` files against vigil's engine: a test per file, a subtest per eval named
// `file.test:LINE expr`. Failed evals fail with expected and actual; skipped ones are reported as skips with
// their reason (native histograms, start timestamps).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../index.ts';
import { listTestFiles } from './files.ts';
import { failureText, fileLine } from './report.ts';
import { runTestFile, upstreamTestEngineOptions } from './run.ts';

const engine = new Engine(upstreamTestEngineOptions);

for (const path of listTestFiles()) {
  const file = basename(path);
  test(file, async (t) => {
    const report = await runTestFile(readFileSync(path, 'utf8'), file, engine);
    for (const o of report.outcomes) {
      const name = `${o.file}:${o.line} ${o.expr}`;
      if (o.status === 'skipped') {
        await t.test(name, { skip: o.reason ?? true }, () => {});
      } else {
        await t.test(name, () => {
          if (o.status === 'failed') assert.fail(failureText(o));
        });
      }
    }
    t.diagnostic(fileLine(report));
  });
}
