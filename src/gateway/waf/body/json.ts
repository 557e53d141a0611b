import type { Pair } from '../state.ts';
import type { BodyProcessor } from './types.ts';

/** JSON: every leaf becomes an argument named by its path (`json.a.b`, array items share their array's name). */
export const json: BodyProcessor = (body, _ct, s, limits) => {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return `JSON parsing error: ${(err as Error).message}`;
  }
  const out: Pair[] = [];
  let tooDeep = false;
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > limits.jsonDepthLimit) {
      tooDeep = true;
      return;
    }
    if (out.length >= limits.argumentsLimit) return;
    if (Array.isArray(v)) {
      if (v.length === 0) out.push({ key: path, value: '' });
      // Array items share the array's name, as ModSecurity names them.
      for (const x of v) walk(x, path, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) out.push({ key: path, value: '' });
      for (const [k, x] of entries) walk(x, `${path}.${k}`, depth + 1);
    } else out.push({ key: path, value: v === null ? '' : String(v) });
  };
  walk(doc, 'json', 0);
  s.member('ARGS_POST').push(...out);
  return tooDeep ? 'JSON depth limit exceeded' : undefined;
};
