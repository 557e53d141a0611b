import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/index.ts';
import { expandRuleFiles, formatRuleIssue, parseRuleFile, RuleFileError, readRuleFile } from '../rules/index.ts';
import { describeErrno } from '../store/index.ts';

/** `vigil check config FILE`: 0 when valid (its rule files included), 1 with every problem listed on stderr. */
export function checkConfigCommand(file: string): number {
  process.stdout.write(`Checking ${file}\n`);
  try {
    const c = loadConfig(file);
    const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
    process.stdout.write(
      `  SUCCESS: ${n(c.scrape_configs.length, 'scrape config')}, ${n(c.rule_files.length, 'rule file')}, ${n(
        c.alerting.receivers?.length ?? 0,
        'receiver',
      )}\n`,
    );
    if (c.rule_files.length === 0) return 0;
    // As promtool check config: the rule files the config names are checked too.
    process.stdout.write('\n');
    let files: string[];
    try {
      files = expandRuleFiles(c.rule_files, dirname(resolve(file)));
    } catch (err) {
      if (!(err instanceof RuleFileError)) throw err;
      process.stderr.write(`  FAILED:\n${err.message}\n`);
      return 1;
    }
    return checkRulesCommand(files);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`  FAILED:\n${err.message}\n`);
    return 1;
  }
}

/**
 * `vigil check rules FILE…`, as `promtool check rules`: per file `Checking FILE` and `  SUCCESS: N rules found`,
 * or `  FAILED:` with every problem as `FILE:LINE:COL: …` on stderr. 0 when every file is valid, else 1.
 */
export function checkRulesCommand(files: readonly string[]): number {
  let failed = false;
  for (const file of files) {
    process.stdout.write(`Checking ${file}\n`);
    let text: string;
    try {
      text = readRuleFile(file);
    } catch (err) {
      process.stderr.write(`  FAILED:\n${file}: cannot read the rule file: ${describeErrno(err)}\n\n`);
      failed = true;
      continue;
    }
    const r = parseRuleFile(text, file);
    if (!r.ok) {
      process.stderr.write(`  FAILED:\n${r.issues.map(formatRuleIssue).join('\n')}\n\n`);
      failed = true;
      continue;
    }
    const n = r.groups.reduce((sum, g) => sum + g.rules.length, 0);
    process.stdout.write(`  SUCCESS: ${n} rules found\n\n`);
  }
  return failed ? 1 : 0;
}
