import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { alertmanagerFuncs } from './funcs-alertmanager.ts';
import { goConformance } from './go-conformance.ts';
import { TemplateSet } from './template-set.ts';

describe("Go's text/template behaviour", () => {
  for (const [name, text, want] of goConformance) {
    it(name, async () => {
      assert.equal(await new TemplateSet(alertmanagerFuncs).parse('t', text).execute('t', undefined), want);
    });
  }
});

const amtool = '/usr/bin/amtool';
describe('the expectations, rechecked with amtool 0.25', {
  skip: !existsSync(amtool) && 'amtool is not installed',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-template-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const empty = join(dir, 'empty.tmpl');
  writeFileSync(empty, '');
  for (const [name, text, want] of goConformance) {
    it(name, () => {
      const out = execFileSync(amtool, ['template', 'render', `--template.glob=${empty}`, `--template.text=${text}`], {
        encoding: 'utf8',
      });
      assert.equal(out, want);
    });
  }
});
