/**
 * Runs the OWASP CRS regression tests (../shared/crs/tests/regression/tests) against our WAF engine,
 * in-process: each stage's request is built byte for byte as go-ftw 2.3.0 builds it, parsed back as a web
 * server would, and fed to a transaction; the response is what the albedo backend would answer. The engine
 * is set up as CRS's CI sets up its engines (DetectionOnly, paranoia level 4, the test marker rule).
 *
 * Usage: node --import tsx scripts/conformance-crs.ts [-v] [--include REGEX] [--crs DIR] [--overrides FILE]
 * (`--overrides`: a go-ftw platform overrides file, e.g. tests/regression/nginx-overrides.yaml.)
 * Ends with `N passed, M failed, K skipped`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { crsFiles, recommendedConfig, WafEngine } from '../src/gateway/waf/index.ts';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
export const defaultCrsDir = resolve(root, '..', 'shared', 'crs');

/** The settings CRS's CI gives its test containers, as SecLang placed after crs-setup.conf. */
const ciSetup = `
SecAction "id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=4"
SecAction "id:900320,phase:1,pass,t:none,nolog,setvar:tx.arg_length=400"
SecAction "id:900330,phase:1,pass,t:none,nolog,setvar:tx.total_arg_length=6400"
SecAction "id:900340,phase:1,pass,t:none,nolog,setvar:tx.max_file_size=64100"
SecAction "id:900350,phase:1,pass,t:none,nolog,setvar:tx.combined_file_sizes=65535"
SecRule REQUEST_HEADERS:X-CRS-Test "@rx ^.*$" \\
    "id:999999,phase:1,pass,t:none,log,msg:'%{MATCHED_VAR}',ctl:ruleRemoveById=1-999999"
`;

/** Builds the engine the way CRS's CI configures its test containers. */
export function buildCiEngine(crsDir: string = defaultCrsDir): WafEngine {
  const [setup, ...rest] = crsFiles(crsDir);
  return new WafEngine({
    sources: [
      { name: 'recommended.conf', text: recommendedConfig({ ruleEngine: 'DetectionOnly' }) },
      { name: setup as string, text: readFileSync(setup as string, 'latin1') },
      { name: 'ci-setup.conf', text: ciSetup },
      ...rest.map((f) => ({ name: f, text: readFileSync(f, 'latin1') })),
    ],
  });
}

interface StageInput {
  method?: string;
  uri?: string;
  version?: string;
  headers?: Record<string, unknown>;
  data?: string;
  encoded_data?: string;
  encoded_request?: string;
  autocomplete_headers?: boolean;
  stop_magic?: boolean;
}
interface StageOutput {
  status?: number;
  log?: { expect_ids?: number[]; no_expect_ids?: number[]; match_regex?: string; no_match_regex?: string };
  expect_error?: boolean;
  isolated?: boolean;
}
interface TestCase {
  test_id?: number;
  stages: Array<{ input: StageInput; output: StageOutput }>;
}

/** Go's url.QueryEscape over UTF-8 bytes. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The request bytes go-ftw 2.3.0 sends for a stage input. */
export function buildRequest(input: StageInput): Buffer {
  if (input.encoded_request !== undefined) return Buffer.from(input.encoded_request.replace(/\s+/g, ''), 'base64');
  const auto = input.autocomplete_headers ?? (input.stop_magic === undefined ? true : !input.stop_magic);
  const method = input.method ?? 'GET';
  const headers: Array<[string, string]> = Object.entries(input.headers ?? {})
    .map(([k, v]): [string, string] => [k, v === null || v === undefined ? '' : String(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let body: Buffer =
    input.encoded_data !== undefined
      ? Buffer.from(input.encoded_data, 'base64')
      : Buffer.from(
          (input.data ?? '').replace(/\{\{\s*"(\d)"\s*\|\s*repeat\s+(\d+)\s*\}\}/g, (_m, c: string, n: string) =>
            c.repeat(Number(n)),
          ),
          'utf8',
        );
  const find = (name: string) => headers.find(([k]) => k.toLowerCase() === name);
  if (body.length > 0 && auto) {
    if (find('content-type') === undefined) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    const ct = find('content-type')?.[1] ?? '';
    const text = body.toString('utf8');
    if (ct.toLowerCase() === 'application/x-www-form-urlencoded' && !/\+|%[0-9a-fA-F]{2}/.test(text)) {
      const encoded = text
        .split('&')
        .map((p) => {
          const eq = p.indexOf('=');
          return eq < 0 ? queryEscape(p) : `${queryEscape(p.slice(0, eq))}=${queryEscape(p.slice(eq + 1))}`;
        })
        .join('&');
      body = Buffer.from(encoded, 'utf8');
    }
  }
  if ((find('content-type')?.[1] ?? '').includes('multipart/form-data;')) {
    body = Buffer.from(body.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    body = Buffer.from(body.toString('latin1').replace(/\r\r\n/g, '\r\n'), 'latin1');
  }
  if (auto) {
    if (find('connection') === undefined) headers.push(['Connection', 'close']);
    if (find('content-length') === undefined && (body.length > 0 || /^POST|PUT|PATCH|DELETE$/.test(method)))
      headers.push(['Content-Length', String(body.length)]);
  }
  const head = `${method} ${input.uri ?? '/'} ${input.version ?? 'HTTP/1.1'}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

interface ParsedRequest {
  method: string;
  uri: string;
  protocol: string;
  headers: Array<[string, string]>;
  body: string;
}

/** Parses request bytes as a lenient HTTP/1.1 server would (Latin-1 view of the bytes). */
export function parseRequest(raw: Buffer): ParsedRequest {
  const text = raw.toString('latin1');
  let split = text.indexOf('\r\n\r\n');
  let sepLen = 4;
  if (split < 0) {
    split = text.indexOf('\n\n');
    sepLen = 2;
  }
  const headText = split < 0 ? text : text.slice(0, split);
  let rest = split < 0 ? '' : text.slice(split + sepLen);
  const lines = headText.split(/\r?\n/);
  const line = lines[0] ?? '';
  const first = line.indexOf(' ');
  const last = line.lastIndexOf(' ');
  let method = line;
  let uri = '';
  let protocol = '';
  if (first >= 0) {
    method = line.slice(0, first);
    if (last > first) {
      uri = line.slice(first + 1, last);
      protocol = line.slice(last + 1);
    } else uri = line.slice(first + 1);
  }
  const headers: Array<[string, string]> = [];
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c <= 0) continue;
    headers.push([l.slice(0, c), l.slice(c + 1).trim()]);
  }
  const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  if ((get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
    // RFC 9112 6.3: Transfer-Encoding overrides Content-Length, which a server removes before going on.
    const cl = headers.findIndex(([k]) => k.toLowerCase() === 'content-length');
    if (cl >= 0) headers.splice(cl, 1);
    let out = '';
    while (rest.length > 0) {
      const eol = rest.indexOf('\r\n');
      const size = Number.parseInt(eol < 0 ? rest : rest.slice(0, eol), 16);
      if (!(size > 0)) break;
      out += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    rest = out;
  } else {
    const cl = get('content-length');
    rest = cl === undefined ? '' : rest.slice(0, Math.max(0, Number.parseInt(cl, 10) || 0));
  }
  return { method, uri, protocol, headers, body: rest };
}

/** What albedo answers: 200 with an empty body, or the response described by a `POST /reflect` body. */
export function backendResponse(req: ParsedRequest): {
  status: number;
  headers: Array<[string, string]>;
  body: string;
} {
  if (req.method === 'POST' && req.uri.startsWith('/reflect')) {
    let spec: { status?: number; headers?: Record<string, string>; body?: string; encodedBody?: string } = {};
    try {
      spec = JSON.parse(Buffer.from(req.body, 'latin1').toString('utf8'));
    } catch {
      return { status: 400, headers: [], body: '' };
    }
    const body =
      spec.encodedBody !== undefined
        ? Buffer.from(spec.encodedBody, 'base64').toString('latin1')
        : Buffer.from(spec.body ?? '', 'utf8').toString('latin1');
    const headers = Object.entries(spec.headers ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
    if (body !== '' && !headers.some(([k]) => k.toLowerCase() === 'content-type')) {
      headers.push([
        'Content-Type',
        /^\s*<(?:!doctype html|html|head|body|script|div|p|table)/i.test(body)
          ? 'text/html; charset=utf-8'
          : 'text/plain; charset=utf-8',
      ]);
    }
    headers.push(['Content-Length', String(body.length)]);
    return { status: spec.status ?? 200, headers, body };
  }
  return { status: 200, headers: [['Content-Length', '0']], body: '' };
}

export interface ConformanceResult {
  /** Rules left out of the engine because their regex cannot run on RE2. */
  untranslatable: Array<{ file: string; line: number; reason: string }>;
  passed: number;
  failed: number;
  skipped: number;
  failures: Array<{ id: string; reason: string }>;
  skips: Array<{ id: string; reason: string }>;
}

/** Why a stage cannot be represented in-process, or undefined when it can. */
function unrepresentable(input: StageInput, output: StageOutput): string | undefined {
  if (output.expect_error) return 'expects a transport error from the web server';
  if (output.status !== undefined && output.status !== 200 && output.status !== 403)
    return `expects the web server's own status ${output.status}`;
  void input;
  return undefined;
}

function runStage(engine: WafEngine, input: StageInput, output: StageOutput): string | undefined {
  const req = parseRequest(buildRequest(input));
  const tx = engine.newTransaction({ clientIp: '127.0.0.1', clientPort: 40000, serverIp: '127.0.0.1', serverPort: 80 });
  tx.processRequestHeaders({ method: req.method, uri: req.uri, protocol: req.protocol, headers: req.headers });
  tx.processRequestBody(req.body);
  const res =
    tx.interruption === null ? backendResponse(req) : { status: tx.interruption.status, headers: [], body: '' };
  tx.processResponseHeaders(res.status, 'HTTP/1.1', res.headers);
  tx.processResponseBody(res.body);
  tx.processLogging();
  const lines = tx.logLines();
  const ids = new Set(lines.flatMap((l) => [...l.matchAll(/\[id "(\d+)"\]/g)].map((m) => Number(m[1]))));
  const status = tx.interruption?.status ?? res.status;
  if (output.status !== undefined && status !== output.status) return `status ${status}, expected ${output.status}`;
  const log = output.log ?? {};
  if (log.match_regex !== undefined) {
    const re = new RegExp(log.match_regex);
    if (!lines.some((l) => re.test(l))) return `no log line matches /${log.match_regex}/`;
  }
  for (const id of log.expect_ids ?? [])
    if (!ids.has(id)) return `rule ${id} did not match (matched: ${[...ids].join(' ')})`;
  if (output.isolated && ids.size !== 1) return `isolated: ${ids.size} rules matched`;
  if (log.no_match_regex !== undefined) {
    const re = new RegExp(log.no_match_regex);
    const hit = lines.find((l) => re.test(l));
    if (hit !== undefined) return `a log line matches /${log.no_match_regex}/: ${hit.slice(0, 300)}`;
  }
  for (const id of log.no_expect_ids ?? []) if (ids.has(id)) return `rule ${id} matched but should not`;
  return undefined;
}

/** A go-ftw overrides file: for the listed tests (and stages), the output to expect instead. */
interface Overrides {
  test_overrides?: Array<{ rule_id: number; test_ids?: number[]; stage_ids?: number[]; output?: StageOutput }>;
}

/** The output a stage must give, after the overrides (go-ftw 2.3.0 applies none for an empty test_ids). */
function overridden(o: Overrides | undefined, ruleId: number, testId: number, stage: number, out: StageOutput) {
  for (const e of o?.test_overrides ?? []) {
    if (e.rule_id !== ruleId || !(e.test_ids ?? []).includes(testId)) continue;
    if (e.stage_ids !== undefined && !e.stage_ids.includes(stage)) continue;
    return e.output ?? {};
  }
  return out;
}

/** Runs every test (or those whose id matches `include`). */
export function runConformance(
  options: { crsDir?: string; include?: RegExp; engine?: WafEngine; overridesFile?: string } = {},
): ConformanceResult {
  const overrides =
    options.overridesFile === undefined
      ? undefined
      : (parseYaml(readFileSync(options.overridesFile, 'utf8')) as Overrides);
  const crsDir = options.crsDir ?? defaultCrsDir;
  const engine = options.engine ?? buildCiEngine(crsDir);
  const testsDir = join(crsDir, 'tests', 'regression', 'tests');
  const result: ConformanceResult = {
    untranslatable: [...engine.skippedRules],
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    skips: [],
  };
  for (const folder of readdirSync(testsDir).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(testsDir, folder))
        .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
        .sort();
    } catch {
      continue;
    }
    for (const f of files) {
      const doc = parseYaml(readFileSync(join(testsDir, folder, f), 'utf8')) as {
        rule_id?: number;
        tests?: TestCase[];
      } | null;
      if (doc === null || doc.tests === undefined) continue;
      const ruleId = doc.rule_id ?? Number(/\d+/.exec(f)?.[0]);
      doc.tests.forEach((t, idx) => {
        const id = `${ruleId}-${t.test_id ?? idx + 1}`;
        if (options.include !== undefined && !options.include.test(id)) return;
        let skip: string | undefined;
        let fail: string | undefined;
        for (const [si, stage] of t.stages.entries()) {
          const st = {
            input: stage.input ?? {},
            output: overridden(overrides, ruleId, t.test_id ?? idx + 1, si, stage.output ?? {}),
          };
          const why = unrepresentable(st.input, st.output);
          if (why !== undefined) {
            skip = why;
            break;
          }
          try {
            fail = runStage(engine, st.input, st.output);
          } catch (err) {
            fail = `threw: ${(err as Error).stack}`;
          }
          if (fail !== undefined) break;
        }
        if (skip !== undefined) {
          result.skipped++;
          result.skips.push({ id, reason: skip });
        } else if (fail !== undefined) {
          result.failed++;
          result.failures.push({ id, reason: fail });
        } else result.passed++;
      });
    }
  }
  return result;
}

function main(argv: string[]): void {
  const verbose = argv.includes('-v');
  const inc = argv.indexOf('--include');
  const dir = argv.indexOf('--crs');
  const ov = argv.indexOf('--overrides');
  const started = Date.now();
  const r = runConformance({
    crsDir: dir >= 0 ? argv[dir + 1] : undefined,
    include: inc >= 0 ? new RegExp(argv[inc + 1] as string) : undefined,
    overridesFile: ov >= 0 ? argv[ov + 1] : undefined,
  });
  if (verbose) {
    for (const f of r.failures) console.log(`FAIL ${f.id}: ${f.reason}`);
    for (const s of r.skips) console.log(`SKIP ${s.id}: ${s.reason}`);
  }
  for (const u of r.untranslatable) console.log(`REGEX ${u.file}:${u.line}: ${u.reason}`);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s; ${r.untranslatable.length} rules left out for RE2)`);
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2));
