/**
 * multipart/form-data: parts become ARGS_POST (fields) or FILES/FILES_SIZES (file parts, by field name);
 * every part header line is kept in MULTIPART_PART_HEADERS (keyed by the part's name); the strictness flags
 * CRS and the recommended rules read (MULTIPART_*) are set as ModSecurity defines them.
 */
import type { Pair } from '../state.ts';
import type { BodyProcessor } from './types.ts';

type Flag =
  | 'BOUNDARY_QUOTED'
  | 'BOUNDARY_WHITESPACE'
  | 'DATA_BEFORE'
  | 'DATA_AFTER'
  | 'HEADER_FOLDING'
  | 'LF_LINE'
  | 'CRLF_LF_LINES'
  | 'MISSING_SEMICOLON'
  | 'INVALID_QUOTING'
  | 'INVALID_PART'
  | 'INVALID_HEADER_FOLDING'
  | 'FILE_LIMIT_EXCEEDED'
  | 'UNMATCHED_BOUNDARY';

const allFlags: Flag[] = [
  'BOUNDARY_QUOTED',
  'BOUNDARY_WHITESPACE',
  'DATA_BEFORE',
  'DATA_AFTER',
  'HEADER_FOLDING',
  'LF_LINE',
  'CRLF_LF_LINES',
  'MISSING_SEMICOLON',
  'INVALID_QUOTING',
  'INVALID_PART',
  'INVALID_HEADER_FOLDING',
  'FILE_LIMIT_EXCEEDED',
  'UNMATCHED_BOUNDARY',
];

/** The boundary parameter of a Content-Type, with the flags its spelling raises, or an error. */
function boundaryOf(ct: string, flags: Set<Flag>): string | { error: string } {
  const m = /boundary(\s*)=(\s*)("?)([^";,]*)("?)/i.exec(ct);
  if (m === null) return { error: 'Multipart: Boundary not found in C-T' };
  if (m[1] !== '' || m[2] !== '') flags.add('BOUNDARY_WHITESPACE');
  if (m[3] !== m[5]) return { error: 'Multipart: Invalid boundary in C-T (quote)' };
  if (m[3] === '"') flags.add('BOUNDARY_QUOTED');
  const b = m[4] as string;
  if (b === '' || b.length > 70 || /[^\x20-\x7e]/.test(b)) return { error: 'Multipart: Invalid boundary in C-T' };
  if (/\s$/.test(b)) flags.add('BOUNDARY_WHITESPACE');
  return b;
}

/** Parses `form-data; name="a"; filename="b"` into its parameters, raising quoting flags. One pass. */
function disposition(value: string, flags: Set<Flag>): Map<string, string> | undefined {
  const out = new Map<string, string>();
  const n = value.length;
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  let i = 0;
  while (i < n && blank(value[i])) i++;
  if (value.slice(i, i + 9).toLowerCase() !== 'form-data') return undefined;
  i += 9;
  for (;;) {
    while (i < n && blank(value[i])) i++;
    if (i >= n) return out;
    if (value[i] === ';') i++;
    else flags.add('MISSING_SEMICOLON');
    while (i < n && blank(value[i])) i++;
    if (i >= n) return out;
    const start = i;
    while (i < n && /[A-Za-z0-9_*-]/.test(value[i] as string)) i++;
    if (i === start) return undefined;
    const key = value.slice(start, i).toLowerCase();
    while (i < n && blank(value[i])) i++;
    if (value[i] !== '=') return undefined;
    i++;
    while (i < n && blank(value[i])) i++;
    let v = '';
    if (value[i] === '"') {
      i++;
      while (i < n && value[i] !== '"') {
        if (value[i] === '\\' && (value[i + 1] === '"' || value[i + 1] === '\\')) i++;
        v += value[i];
        i++;
      }
      if (i >= n) {
        flags.add('INVALID_QUOTING');
        return undefined;
      }
      i++;
    } else {
      const vs = i;
      while (i < n && value[i] !== ';' && !blank(value[i])) i++;
      v = value.slice(vs, i);
      if (v.includes("'") || v.includes('"')) flags.add('INVALID_QUOTING');
    }
    if (out.has(key)) return undefined;
    out.set(key, v);
  }
}

export const multipart: BodyProcessor = (body, ct, s, limits) => {
  const flags = new Set<Flag>();
  const finish = (error?: string) => {
    for (const f of allFlags) if (f !== 'UNMATCHED_BOUNDARY') s.scalars.set(`MULTIPART_${f}`, flags.has(f) ? '1' : '0');
    s.scalars.set('MULTIPART_UNMATCHED_BOUNDARY', flags.has('UNMATCHED_BOUNDARY') ? '1' : '0');
    const strict = error !== undefined || allFlags.some((f) => f !== 'CRLF_LF_LINES' && flags.has(f));
    s.scalars.set('MULTIPART_STRICT_ERROR', strict ? '1' : '0');
    return error;
  };
  const b = boundaryOf(ct, flags);
  if (typeof b !== 'string') return finish(b.error);
  const delim = `--${b}`;
  const lines = body.split('\n');
  let crlf = 0;
  let lf = 0;
  let state: 'preamble' | 'headers' | 'data' | 'epilogue' = 'preamble';
  let headers: string[] = [];
  let data: string[] = [];
  let sawFinal = false;
  const args: Pair[] = [];
  const partHeaders = s.member('MULTIPART_PART_HEADERS');
  let combined = 0;
  let error: string | undefined;

  const endPart = () => {
    const raw = data.join('\n');
    const value = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let cd: Map<string, string> | undefined;
    const parsed: string[] = [];
    for (const h of headers) {
      const colon = h.indexOf(':');
      if (colon <= 0) {
        error ??= 'Multipart: Invalid part header (colon missing)';
        continue;
      }
      if (/[^\x21-\x7e]/.test(h.slice(0, colon)))
        error ??= 'Multipart: Invalid part header (contains invalid character)';
      parsed.push(h);
      if (h.slice(0, colon).trim().toLowerCase() === 'content-disposition') {
        cd = disposition(h.slice(colon + 1), flags);
        if (cd === undefined) error ??= 'Multipart: Invalid Content-Disposition header';
      }
    }
    if (cd === undefined) {
      flags.add('INVALID_PART');
      error ??= 'Multipart: Part missing Content-Disposition header';
      return;
    }
    const name = cd.get('name');
    if (name === undefined) {
      error ??= 'Multipart: Content-Disposition header missing name field';
      return;
    }
    for (const h of parsed) partHeaders.push({ key: name, value: h });
    const filename = cd.get('filename') ?? cd.get('filename*');
    if (filename !== undefined) {
      combined += value.length;
      s.member('FILES').push({ key: name, value: filename });
      s.member('FILES_SIZES').push({ key: name, value: String(value.length) });
      s.scalars.set('MULTIPART_FILENAME', filename);
    } else if (args.length < limits.argumentsLimit) args.push({ key: name, value });
    s.scalars.set('MULTIPART_NAME', name);
  };

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    const last = i === lines.length - 1;
    if (!last) {
      if (line.endsWith('\r')) {
        crlf++;
        line = line.slice(0, -1);
      } else if (state !== 'data' && state !== 'epilogue') lf++;
    }
    if (state === 'epilogue') {
      if (line !== '' || !last) flags.add('DATA_AFTER');
      continue;
    }
    if (line.startsWith(delim)) {
      const tail = line.slice(delim.length);
      const closing = tail.startsWith('--');
      if (tail.replace(/^--/, '').trim() === '') {
        if (state === 'data') endPart();
        else if (state === 'headers') {
          flags.add('INVALID_PART');
          error ??= 'Multipart: Invalid part';
        }
        if (!last && lines[i]?.endsWith('\r') === false) lf++;
        if (closing) {
          sawFinal = true;
          state = 'epilogue';
        } else {
          state = 'headers';
          headers = [];
          data = [];
        }
        continue;
      }
      flags.add('UNMATCHED_BOUNDARY');
    } else if (line.startsWith('--') && state !== 'preamble' && line.length > 2 && !line.startsWith(delim)) {
      if (/^--[\w'()+,./:=?-]{10,}/.test(line) && line.trim().length >= delim.length - 2)
        flags.add('UNMATCHED_BOUNDARY');
    }
    if (state === 'preamble') {
      if (line !== '') flags.add('DATA_BEFORE');
      continue;
    }
    if (state === 'headers') {
      if (line === '') {
        state = 'data';
        continue;
      }
      if (/^[ \t]/.test(line)) {
        flags.add('HEADER_FOLDING');
        if (headers.length === 0) flags.add('INVALID_HEADER_FOLDING');
        else headers[headers.length - 1] += ` ${line.trim()}`;
        continue;
      }
      headers.push(line);
      continue;
    }
    data.push(lines[i] as string);
  }
  if (lf > 0) flags.add('LF_LINE');
  if (lf > 0 && crlf > 0) flags.add('CRLF_LF_LINES');
  if (!sawFinal) error ??= 'Multipart: Final boundary missing';
  s.member('ARGS_POST').push(...args);
  s.scalars.set('FILES_COMBINED_SIZE', String(combined));
  return finish(error);
};
