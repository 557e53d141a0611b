/** The target-group files of file discovery: a list of `{targets: [...], labels: {...}}` in JSON or YAML. */
import { parse as parseYaml } from 'yaml';
import type { TargetGroup } from './discovery.ts';

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses one file's groups, sources `file:index`, each group labelled `__meta_filepath` = `file`. Throws an
 * Error whose message says what is wrong (the caller keeps the file's last good groups). JSON ignores unknown
 * keys in a group; YAML refuses them (Prometheus decodes YAML strictly). An empty YAML file has no groups.
 */
export function parseTargetGroups(text: string, file: string, json: boolean): TargetGroup[] {
  const data: unknown = json ? JSON.parse(text) : parseYaml(text);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new Error('expected a list of target groups');
  return data.map((g: unknown, i): TargetGroup => {
    if (g === null || g === undefined) throw new Error('nil target group item found');
    if (typeof g !== 'object' || Array.isArray(g)) throw new Error(`target group ${i}: expected a mapping`);
    const o = g as Record<string, unknown>;
    if (!json) {
      for (const k of Object.keys(o)) {
        if (k !== 'targets' && k !== 'labels') throw new Error(`target group ${i}: unknown key ${JSON.stringify(k)}`);
      }
    }
    const targets = scalarList(o.targets, json, `target group ${i}: targets`);
    const labels: Record<string, string> = {};
    if (o.labels !== undefined && o.labels !== null) {
      if (typeof o.labels !== 'object' || Array.isArray(o.labels)) {
        throw new Error(`target group ${i}: labels: expected a mapping`);
      }
      for (const [n, v] of Object.entries(o.labels as Record<string, unknown>)) {
        if (!labelName.test(n)) throw new Error(`${JSON.stringify(n)} is not a valid label name`);
        labels[n] = scalar(v, json, `target group ${i}: label ${n}`);
      }
    }
    labels.__meta_filepath = file;
    return { source: `${file}:${i}`, targets: targets.map((t) => ({ __address__: t })), labels };
  });
}

function scalarList(v: unknown, json: boolean, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list`);
  return v.map((x) => scalar(x, json, what));
}

/** JSON needs strings; YAML's numbers and booleans read as their text, as Go's YAML decoder does. */
function scalar(v: unknown, json: boolean, what: string): string {
  if (typeof v === 'string') return v;
  if (!json && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
  if (!json && v === null) return '';
  throw new Error(`${what}: expected a string`);
}
