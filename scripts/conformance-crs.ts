/**
 * Runs the OWASP CRS regression tests (../shared/crs/tests/regression/tests) the way CRS's CI runs them: each
 * stage's request, built byte for byte as go-ftw 2.3.0 builds it, goes on a fresh TLS connection to a real
 * `Gateway` in front of a local albedo-like backend, the WAF set up as CRS's CI sets up its engines
 * (DetectionOnly, paranoia level 4, the test marker rule). A stage is judged from the response status and from
 * the gateway's audit log lines written between two marker requests, as go-ftw finds its log lines.
 *
 * `--in-process` runs the older harness instead: the bytes are parsed back as a lenient web server would and fed
 * to a transaction directly, the response being what albedo would answer; there the stages that expect the
 * web server's own status or a transport error are skipped.
 *
 * Usage: node --import tsx scripts/conformance-crs.ts [-v] [--in-process] [--include REGEX] [--crs DIR]
 *        [--overrides FILE]
 * (`--overrides`: a go-ftw platform overrides file, e.g. tests/regression/nginx-overrides.yaml.)
 * Ends with `N passed, M failed, K skipped`.
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../src/config/index.ts';
import { Gateway } from '../src/gateway/index.ts';
import { crsFiles, logEscape, recommendedConfig, WafEngine, wafInspectorFactory } from '../src/gateway/waf/index.ts';

import { createLogger } from '../src/log/index.ts';
import { queryEscape } from '../src/template/index.ts';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
export const defaultCrsDir = resolve(root, '..', 'shared', 'crs');

/**
 * The settings CRS's CI gives its test containers (tests/docker-compose.yml), as SecLang placed after
 * crs-setup.conf, plus the two limits CRS's regression README asks for and its tests 920360-1 and 920380-1 say
 * they need ("needs to be set in crs-setup"): arg_name_length 100, max_num_args 255.
 */
const ciSetup = `
SecAction "id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=4"
SecAction "id:900300,phase:1,pass,t:none,nolog,setvar:tx.max_num_args=255"
SecAction "id:900310,phase:1,pass,t:none,nolog,setvar:tx.arg_name_length=100"
SecAction "id:900320,phase:1,pass,t:none,nolog,setvar:tx.arg_length=400"
SecAction "id:900330,phase:1,pass,t:none,nolog,setvar:tx.total_arg_length=6400"
SecAction "id:900340,phase:1,pass,t:none,nolog,setvar:tx.max_file_size=64100"
SecAction "id:900350,phase:1,pass,t:none,nolog,setvar:tx.combined_file_sizes=65535"
SecRule REQUEST_HEADERS:X-CRS-Test "@rx ^.*$" \\
    "id:999999,phase:1,pass,t:none,log,msg:'%{MATCHED_VAR}',ctl:ruleRemoveById=1-999999"
`;

/** Builds the engine the way CRS's CI configures its test containers (for the in-process harness). */
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
  /** Run a failed stage once more (CRS sets it where phase-5 logging may race the next request). */
  retry_once?: boolean;
  isolated?: boolean;
}
interface Stage {
  input: StageInput;
  output: StageOutput;
}
interface TestCase {
  test_id?: number;
  stages: Array<Partial<Stage>>;
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

/** Counts of one run; every test is counted once, a failure or skip with its reason. */
export interface ConformanceCounts {
  passed: number;
  failed: number;
  skipped: number;
  failures: Array<{ id: string; reason: string }>;
  skips: Array<{ id: string; reason: string }>;
}

export interface ConformanceResult extends ConformanceCounts {
  /** Rules left out of the engine because their regex cannot run on RE2. */
  untranslatable: Array<{ file: string; line: number; reason: string }>;
}

export interface GatewayConformanceResult extends ConformanceCounts {
  /** Rules the gateway's engine left out because their regex cannot run on RE2 (its `waf rules loaded` log). */
  rulesLeftOut: number;
}

/** What one stage's request gave: the response status (or why none came) and the WAF's log lines for it. */
interface StageOutcome {
  status: number | undefined;
  /** Set when no response head arrived: the connection failed, or closed or timed out first. */
  transportError: string | undefined;
  /** ModSecurity-style log lines, one per logged rule match. */
  lines: string[];
}

/** Why a stage failed, checked in go-ftw's order, or undefined when it passed. */
function judge(output: StageOutput, o: StageOutcome): string | undefined {
  if (output.expect_error)
    return o.transportError === undefined ? `expected a transport error, got status ${o.status}` : undefined;
  if (o.transportError !== undefined) return `transport error: ${o.transportError}`;
  const lines = o.lines;
  const ids = new Set(lines.flatMap((l) => [...l.matchAll(/\[id "(\d+)"\]/g)].map((m) => Number(m[1]))));
  if (output.status !== undefined && o.status !== output.status) return `status ${o.status}, expected ${output.status}`;
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

export interface ConformanceOptions {
  /** @default ../shared/crs */
  crsDir?: string;
  /** Runs only the tests whose id (`942100-3`) matches. */
  include?: RegExp;
  /** A go-ftw platform overrides file. */
  overridesFile?: string;
}

/** The tests in file order (folders and files sorted by name), overrides applied to their outputs. */
function loadTests(options: ConformanceOptions): Array<{ id: string; stages: Stage[] }> {
  const overrides =
    options.overridesFile === undefined
      ? undefined
      : (parseYaml(readFileSync(options.overridesFile, 'utf8')) as Overrides);
  const testsDir = join(options.crsDir ?? defaultCrsDir, 'tests', 'regression', 'tests');
  const out: Array<{ id: string; stages: Stage[] }> = [];
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
        const testId = t.test_id ?? idx + 1;
        const id = `${ruleId}-${testId}`;
        if (options.include !== undefined && !options.include.test(id)) return;
        const stages = t.stages.map((s, si) => ({
          input: s.input ?? {},
          output: overridden(overrides, ruleId, testId, si, s.output ?? {}),
        }));
        out.push({ id, stages });
      });
    }
  }
  return out;
}

function emptyCounts(): ConformanceCounts {
  return { passed: 0, failed: 0, skipped: 0, failures: [], skips: [] };
}

function count(result: ConformanceCounts, id: string, fail: string | undefined, skip?: string): void {
  if (skip !== undefined) {
    result.skipped++;
    result.skips.push({ id, reason: skip });
  } else if (fail !== undefined) {
    result.failed++;
    result.failures.push({ id, reason: fail });
  } else result.passed++;
}

// ---- In-process harness ----

/** Why a stage cannot be represented in-process, or undefined when it can. */
function unrepresentable(output: StageOutput): string | undefined {
  if (output.expect_error) return 'expects a transport error from the web server';
  if (output.status !== undefined && output.status !== 200 && output.status !== 403)
    return `expects the web server's own status ${output.status}`;
  return undefined;
}

function runStageInProcess(engine: WafEngine, input: StageInput, output: StageOutput): string | undefined {
  const req = parseRequest(buildRequest(input));
  const tx = engine.newTransaction({ clientIp: '127.0.0.1', clientPort: 40000, serverIp: '127.0.0.1', serverPort: 80 });
  tx.processRequestHeaders({ method: req.method, uri: req.uri, protocol: req.protocol, headers: req.headers });
  tx.processRequestBody(req.body);
  const res =
    tx.interruption === null ? backendResponse(req) : { status: tx.interruption.status, headers: [], body: '' };
  tx.processResponseHeaders(res.status, 'HTTP/1.1', res.headers);
  tx.processResponseBody(res.body);
  tx.processLogging();
  return judge(output, {
    status: tx.interruption?.status ?? res.status,
    transportError: undefined,
    lines: tx.logLines(),
  });
}

/** Runs every test (or those whose id matches `include`) in-process, against `engine` or the CI engine. */
export function runConformance(options: ConformanceOptions & { engine?: WafEngine } = {}): ConformanceResult {
  const engine = options.engine ?? buildCiEngine(options.crsDir ?? defaultCrsDir);
  const result: ConformanceResult = { untranslatable: [...engine.skippedRules], ...emptyCounts() };
  for (const t of loadTests(options)) {
    let skip: string | undefined;
    let fail: string | undefined;
    for (const st of t.stages) {
      skip = unrepresentable(st.output);
      if (skip !== undefined) break;
      try {
        fail = runStageInProcess(engine, st.input, st.output);
      } catch (err) {
        fail = `threw: ${(err as Error).stack}`;
      }
      if (fail !== undefined) break;
    }
    count(result, t.id, fail, skip);
  }
  return result;
}

// ---- Through the gateway ----

/** go-ftw's read timeout is 1 s and its connect timeout 3 s; 3 s for the whole exchange covers both. */
const defaultReadTimeoutMs = 3000;

/** How long to wait for a marker's audit line before sending the marker again (go-ftw resends up to 20 times). */
const markerWaitMs = 1000;
const markerAttempts = 5;

export interface GatewayConformanceOptions extends ConformanceOptions {
  /**
   * How long a stage (and a marker request) may take to get its response: the stage then counts as a
   * transport error. Raise it on a loaded machine. @default 3000
   */
  readTimeoutMs?: number;
}

/**
 * Tests the gateway run cannot decide, each with the reason. Empty: every test runs as written.
 */
const gatewaySkips: ReadonlyMap<string, string> = new Map();

/** The fields of an audit log line (src/gateway/audit-log.ts) the runner reads. */
interface AuditLine {
  readonly uri: string;
  readonly request_id: string;
  readonly matches: ReadonlyArray<{ id: number; msg: string; data: string; severity: string; tags: string[] }>;
  readonly marker?: string;
}

/**
 * ModSecurity-style error log text for each match of an audit line (`[id "N"] [msg "…"] [data "…"] …`), fields
 * escaped as the engine's own log lines escape them, so the tests' `match_regex` and ids read as on ModSecurity.
 */
function modsecLines(a: AuditLine): string[] {
  return a.matches.map((m) => {
    let line = `[id "${m.id}"] [msg "${logEscape(m.msg)}"] [data "${logEscape(m.data)}"] [severity "${logEscape(m.severity)}"]`;
    for (const t of m.tags) line += ` [tag "${logEscape(t)}"]`;
    return `${line} [uri "${logEscape(a.uri)}"] [unique_id "${a.request_id}"]`;
  });
}

/** New complete lines of the audit log since the last read (the file may not exist yet). */
class AuditTail {
  private fd: number | undefined;
  private offset = 0;
  private partial = Buffer.alloc(0);

  constructor(private readonly path: string) {}

  read(): AuditLine[] {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return [];
      }
    }
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return [];
    const chunk = Buffer.alloc(size - this.offset);
    const n = readSync(this.fd, chunk, 0, chunk.length, this.offset);
    this.offset += n;
    const data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    const out: AuditLine[] = [];
    let from = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
      out.push(JSON.parse(data.toString('utf8', from, nl)) as AuditLine);
      from = nl + 1;
    }
    this.partial = Buffer.from(data.subarray(from));
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * What has arrived of an HTTP/1.x response: its status once a head is in (interim 1xx heads skipped),
 * `complete` once the body is (Content-Length, chunked, or none for HEAD/204/304; otherwise until close),
 * `malformed` when the bytes are not a response head.
 */
function parseResponse(buf: Buffer, head: boolean): { status?: number; complete: boolean; malformed?: string } {
  let at = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', at);
    if (end < 0) {
      if (buf.length > at && !'HTTP/'.startsWith(buf.toString('latin1', at, Math.min(buf.length, at + 5))))
        return { complete: false, malformed: `not a response: ${JSON.stringify(buf.toString('latin1', at, at + 40))}` };
      return { complete: false };
    }
    const lines = buf.toString('latin1', at, end).split('\r\n');
    const m = /^HTTP\/\d\.\d (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (m === null) return { complete: false, malformed: `bad status line ${JSON.stringify(lines[0])}` };
    const status = Number(m[1]);
    const bodyAt = end + 4;
    if (status >= 100 && status < 200 && status !== 101) {
      at = bodyAt;
      continue;
    }
    if (head || status === 204 || status === 304 || status === 101) return { status, complete: true };
    let length: number | undefined;
    let chunked = false;
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      const name = l.slice(0, c).trim().toLowerCase();
      const value = l.slice(c + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
    }
    if (chunked) return { status, complete: chunkedComplete(buf, bodyAt) };
    if (length !== undefined) return { status, complete: buf.length - bodyAt >= length };
    return { status, complete: false };
  }
}

/** Whether a chunked body starting at `at` has ended (last chunk and trailer section in). */
function chunkedComplete(buf: Buffer, at: number): boolean {
  let p = at;
  for (;;) {
    const eol = buf.indexOf('\r\n', p);
    if (eol < 0) return false;
    const size = Number.parseInt(buf.toString('latin1', p, eol).split(';')[0] as string, 16);
    if (Number.isNaN(size)) return true;
    if (size === 0) {
      if (buf.length >= eol + 4 && buf[eol + 2] === 0x0d && buf[eol + 3] === 0x0a) return true;
      return buf.indexOf('\r\n\r\n', eol) >= 0;
    }
    p = eol + 2 + size + 2;
    if (p > buf.length) return false;
  }
}

/**
 * Sends `raw` on a fresh TLS connection (ALPN http/1.1, SNI localhost, certificate not verified) and reads one
 * response until it is complete, the server closes, or `timeoutMs` passes. Gives the status, or why no
 * response head came.
 */
function exchange(port: number, raw: Buffer, timeoutMs: number): Promise<{ status?: number; error?: string }> {
  return new Promise((done) => {
    const head = raw.subarray(0, 5).toString('latin1') === 'HEAD ';
    let buf: Buffer = Buffer.alloc(0);
    let settled = false;
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const finish = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const r = parseResponse(buf, head);
      done(r.status !== undefined ? { status: r.status } : { error: r.malformed ?? why });
    };
    const timer = setTimeout(() => finish(`no response within ${timeoutMs} ms`), timeoutMs);
    socket.once('secureConnect', () => socket.write(raw));
    socket.on('data', (d: Buffer) => {
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      const r = parseResponse(buf, head);
      if (r.complete || r.malformed !== undefined) finish('');
    });
    socket.on('end', () => finish('connection closed without a response'));
    socket.on('close', () => finish('connection closed without a response'));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(`connection error ${err.code ?? err.message}`));
  });
}

/**
 * An albedo-like backend (coreruleset/albedo 0.3.0) on 127.0.0.1 port 0: `POST /reflect` answers as its JSON
 * body describes, anything else 200 with an empty body (`backendResponse`); request bodies are read fully.
 * Lenient like albedo's Go server: no Host required, 1 MiB of headers, idle connections kept.
 */
async function startAlbedo(note: (text: string) => void): Promise<Server> {
  const server = createServer(
    { insecureHTTPParser: true, requireHostHeader: false, maxHeaderSize: 1 << 20 },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = backendResponse({
          method: req.method ?? 'GET',
          uri: req.url ?? '/',
          protocol: `HTTP/${req.httpVersion}`,
          headers: [],
          body: Buffer.concat(chunks).toString('latin1'),
        });
        try {
          res.writeHead(r.status, r.headers.flat());
          res.end(Buffer.from(r.body, 'latin1'));
        } catch (err) {
          note(`backend cannot send the reflected response: ${(err as Error).message}`);
          if (res.headersSent) res.destroy();
          else res.writeHead(500, { 'content-length': '0' }).end();
        }
      });
    },
  );
  server.keepAliveTimeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

/** A gateway set up as CRS's CI sets up its engines, in front of an albedo-like backend, with its audit log. */
class CiGateway {
  /** Audit lines since the last marker line. */
  private pending: AuditLine[] = [];

  /**
   * A throw inside the gateway's request handlers would end the process: recorded as a note on the stage
   * instead, so the run goes on and the test fails with it.
   */
  private readonly onUncaught: (err: Error) => void;

  private constructor(
    private readonly gateway: Gateway,
    private readonly backend: Server,
    private readonly tail: AuditTail,
    private readonly dir: string,
    readonly rulesLeftOut: number,
    /** What the gateway and backend logged about requests since the last stage began. */
    private readonly notes: string[],
    private readonly readTimeoutMs: number,
  ) {
    this.onUncaught = (err) => notes.push(`the gateway threw: ${err.stack?.split('\n').slice(0, 3).join(' ')}`);
    process.on('uncaughtException', this.onUncaught);
  }

  static async start(crsDir: string, readTimeoutMs: number): Promise<CiGateway> {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-crs-'));
    const notes: string[] = [];
    let rulesLeftOut = 0;
    const backend = await startAlbedo((text) => notes.push(text));
    let started: CiGateway | undefined;
    try {
      const setup = join(dir, 'ci-setup.conf');
      writeFileSync(setup, ciSetup);
      const audit = join(dir, 'audit.log');
      const upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
      // Limits stay at the gateway's defaults: no test needs CRS CI's engines to have other ones.
      const yaml = `gateway:
  listen: 127.0.0.1:0
  redirect_listen: none
  metrics_listen: none
  access_log: false
  audit_log:
    path: ${JSON.stringify(audit)}
    marker_header: X-CRS-Test
  sites:
    - hosts: ['*']
      upstreams: [{ url: ${JSON.stringify(upstream)} }]
      waf:
        mode: detection_only
        paranoia_level: 4
        crs_dir: ${JSON.stringify(crsDir)}
        rules_before_crs: [${JSON.stringify(setup)}]
`;
      const config = parseConfig(yaml, join(dir, 'vigil.yml'), {}).gateway;
      if (config === undefined) throw new Error('no gateway section');
      const logger = createLogger({
        level: 'debug',
        write: (line) => {
          const r = JSON.parse(line) as Record<string, unknown>;
          if (r.msg === 'waf rules loaded') rulesLeftOut = Number(r.skipped);
          else if (r.msg === 'request refused') notes.push(`gateway refused the request: ${r.reason} (${r.status})`);
          else if (r.msg === 'client error')
            notes.push(`Node's HTTP parser refused the request: ${r.code} (${r.status})`);
          else if (r.level === 'warn' || r.level === 'error')
            notes.push(
              `gateway ${r.level}: ${r.msg}${r.reason === undefined ? '' : ` (${r.reason})`}${r.err === undefined ? '' : `: ${r.err}`}`,
            );
        },
      });
      const gateway = new Gateway({
        config,
        dataDir: dir,
        logger,
        registry: new Registry(),
        inspector: wafInspectorFactory({ logger }),
      });
      await gateway.start();
      started = new CiGateway(gateway, backend, new AuditTail(audit), dir, rulesLeftOut, notes, readTimeoutMs);
      if ((await started.nextMarker()) === undefined) throw new Error('the first marker request left no audit line');
      return started;
    } catch (err) {
      if (started !== undefined) {
        await started.close();
        throw err;
      }
      backend.closeAllConnections();
      backend.close();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private get port(): number {
    return this.gateway.addresses().https.port;
  }

  /** Sends one stage's request; its log lines are the audit lines written before the next marker's. */
  async runStage(input: StageInput): Promise<StageOutcome & { notes: string[]; markerMissing: boolean }> {
    this.notes.length = 0;
    const r = await exchange(this.port, buildRequest(input), this.readTimeoutMs);
    const lines = await this.nextMarker();
    return {
      status: r.status,
      transportError: r.error,
      lines: (lines ?? []).flatMap(modsecLines),
      notes: [...new Set(this.notes)],
      markerMissing: lines === undefined,
    };
  }

  /**
   * Sends a marker request (go-ftw's, to `/`) and waits for its audit line; gives the lines written since the
   * previous marker's, or undefined when the marker's line never came.
   */
  async nextMarker(): Promise<AuditLine[] | undefined> {
    const id = randomUUID();
    const marker = Buffer.from(
      `GET / HTTP/1.1\r\nAccept: */*\r\nConnection: close\r\nHost: localhost\r\nUser-Agent: go-ftw test agent\r\nX-CRS-Test: ${id}\r\n\r\n`,
      'latin1',
    );
    for (let attempt = 0; attempt < markerAttempts; attempt++) {
      await exchange(this.port, marker, this.readTimeoutMs);
      const deadline = Date.now() + markerWaitMs;
      for (;;) {
        let found: AuditLine[] | undefined;
        for (const a of this.tail.read()) {
          if (found === undefined && a.marker === id) {
            found = this.pending;
            this.pending = [];
          } else if (a.marker === undefined) this.pending.push(a);
        }
        if (found !== undefined) return found;
        if (Date.now() > deadline) break;
        await sleep(1);
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    process.off('uncaughtException', this.onUncaught);
    await this.gateway.close();
    this.tail.close();
    this.backend.closeAllConnections();
    await new Promise<void>((r) => this.backend.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Runs every test (or those whose id matches `include`) through a real gateway over TLS, sequentially, as
 * go-ftw does. The gateway and backend live for the run and are closed before it resolves.
 */
export async function runGatewayConformance(
  options: GatewayConformanceOptions = {},
): Promise<GatewayConformanceResult> {
  const tests = loadTests(options);
  const gw = await CiGateway.start(options.crsDir ?? defaultCrsDir, options.readTimeoutMs ?? defaultReadTimeoutMs);
  const result: GatewayConformanceResult = { rulesLeftOut: gw.rulesLeftOut, ...emptyCounts() };
  try {
    for (const t of tests) {
      const skip = gatewaySkips.get(t.id);
      let fail: string | undefined;
      if (skip === undefined) {
        for (const st of t.stages) {
          for (let attempt = 0; attempt < (st.output.retry_once ? 2 : 1); attempt++) {
            const o = await gw.runStage(st.input);
            fail = o.markerMissing ? 'the marker request after the stage left no audit line' : judge(st.output, o);
            if (fail !== undefined && o.notes.length > 0) fail += ` [${o.notes.join('; ')}]`;
            if (fail === undefined) break;
          }
          if (fail !== undefined) break;
        }
      }
      count(result, t.id, fail, skip);
    }
  } finally {
    await gw.close();
  }
  return result;
}

async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes('-v');
  const inc = argv.indexOf('--include');
  const dir = argv.indexOf('--crs');
  const ov = argv.indexOf('--overrides');
  const options: ConformanceOptions = {
    crsDir: dir >= 0 ? argv[dir + 1] : undefined,
    include: inc >= 0 ? new RegExp(argv[inc + 1] as string) : undefined,
    overridesFile: ov >= 0 ? argv[ov + 1] : undefined,
  };
  const started = Date.now();
  let r: ConformanceCounts;
  let leftOut: number;
  if (argv.includes('--in-process')) {
    const ip = runConformance(options);
    for (const u of ip.untranslatable) console.log(`REGEX ${u.file}:${u.line}: ${u.reason}`);
    r = ip;
    leftOut = ip.untranslatable.length;
  } else {
    const gw = await runGatewayConformance(options);
    r = gw;
    leftOut = gw.rulesLeftOut;
  }
  if (verbose) {
    for (const f of r.failures) console.log(`FAIL ${f.id}: ${f.reason}`);
    for (const s of r.skips) console.log(`SKIP ${s.id}: ${s.reason}`);
  }
  const how = argv.includes('--in-process') ? 'in-process' : 'through the gateway';
  console.log(`(${how}: ${((Date.now() - started) / 1000).toFixed(1)} s; ${leftOut} rules left out for RE2)`);
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
