/**
 * Loads cases.yaml for relabel.test.ts and relabel-oracle.test.ts, and decodes a case's rules the way a
 * user's prometheus.yml is decoded: as the `relabel_configs` of a scrape job, through the config module.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConfig, type RelabelConfig } from '../../../config/index.ts';

/** One case of cases.yaml (the file's header documents the keys). */
export interface RelabelCase {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The `relabel_configs` list, as YAML text. */
  readonly rules: string;
  readonly want?: Readonly<Record<string, string>> | 'dropped';
  readonly error?: { readonly rule: number; readonly field: string };
  readonly oracle: boolean;
  readonly goSyntax: boolean;
}

const casesFile = new URL('./cases.yaml', import.meta.url);

/** Every case, in file order. Throws on a malformed case, naming it. */
export function loadRelabelCases(): RelabelCase[] {
  const raw = parse(readFileSync(casesFile, 'utf8')) as Array<Record<string, unknown>>;
  return raw.map((c, i) => {
    const name = typeof c.name === 'string' ? c.name : `case ${i}`;
    const strings = (v: unknown) =>
      typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
    if (!strings(c.labels) || typeof c.rules !== 'string') throw new Error(`${name}: needs labels and rules`);
    if ((c.want === undefined) === (c.error === undefined)) throw new Error(`${name}: needs one of want and error`);
    if (c.want !== undefined && c.want !== 'dropped' && !strings(c.want)) throw new Error(`${name}: bad want`);
    return {
      name,
      labels: c.labels as Record<string, string>,
      rules: c.rules,
      ...(c.want !== undefined && { want: c.want as RelabelCase['want'] }),
      ...(c.error !== undefined && { error: c.error as RelabelCase['error'] }),
      oracle: c.oracle === true,
      goSyntax: c.go_syntax === true,
    };
  });
}

/** The case's rules decoded by the config module, as a user's prometheus.yml would be. Throws ConfigError. */
export function decodeRules(c: RelabelCase): RelabelConfig[] {
  return decodeRulesText(c.rules);
}

/** Decodes `relabel_configs` YAML text with parseConfig, as part of a scrape job. Throws ConfigError. */
export function decodeRulesText(rules: string): RelabelConfig[] {
  const indented = rules
    .trimEnd()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
  const config = parseConfig(
    `scrape_configs:\n  - job_name: relabel\n    relabel_configs:\n${indented}\n`,
    'case.yml',
    {},
  );
  return [...(config.scrape_configs[0]?.relabel_configs ?? [])];
}
