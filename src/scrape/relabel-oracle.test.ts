// Checks the relabel engine against the real Prometheus 2.42 (/usr/bin/prometheus): every `oracle: true` case
// of testdata/relabel/cases.yaml becomes a scrape job with one static target that is never scraped
// successfully, and the target's fate in /api/v1/targets?state=any is compared with vigil's result.
//
// What Prometheus relabels (scrape/target.go PopulateLabels) is the static target's labels plus __address__
// (the target), and, where the target does not set them, job, __scheme__, __metrics_path__,
// __scrape_interval__ and __scrape_timeout__. The API reports that set as `discoveredLabels`; 2.42's
// relabel.Process may overwrite it in place when the rules change labels, so the mirror is checked on a job
// without rules, and dropped targets are found by it. After relabeling Prometheus drops __meta_* labels,
// defaults `instance` to __address__ and hides every __* label from `labels`; so that nothing relabeling
// decides is hidden, each job ends with a labelmap copying __x to x__x, applied on both sides, and vigil's
// result gets the same instance default and hiding. Rules that compileRelabel refuses are checked with
// `promtool check config`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Labels } from '../model/index.ts';
import { compileRelabel } from './relabel.ts';
import { decodeRules, decodeRulesText, loadRelabelCases, type RelabelCase } from './testdata/relabel/cases.ts';

const prometheusBin = '/usr/bin/prometheus';
const promtoolBin = '/usr/bin/promtool';
const readyTimeoutMs = 15_000;
const targetsTimeoutMs = 25_000;

/** Applied last on both sides so that internal labels show up in the API's `labels`. */
const revealRule = `- regex: '__(.+)'\n  replacement: 'x__$1'\n  action: labelmap`;
/** What PopulateLabels adds to a static target when it lacks them (scrape_interval is set to 1h below). */
const scrapeDefaults = {
  __scheme__: 'http',
  __metrics_path__: '/metrics',
  __scrape_interval__: '1h',
  __scrape_timeout__: '10s',
};

interface ApiTarget {
  discoveredLabels: Record<string, string>;
  labels?: Record<string, string>;
  scrapePool?: string;
}

type Job = RelabelCase & { readonly job: string };

const all = loadRelabelCases().map((c, index) => ({ ...c, job: `case_${index}` }));
const compared = all.filter((c) => c.oracle && c.error === undefined);
const refused = all.filter((c) => c.error !== undefined);
/** A job without rules, whose `discoveredLabels` show the relabeling input unaltered. */
const mirror: Job = {
  name: 'the relabeling input is mirrored exactly',
  labels: { a: 'x', __meta_m: 'y', __scheme__: 'https' },
  rules: '[]',
  oracle: true,
  goSyntax: false,
  job: 'mirror',
};

const skip = existsSync(prometheusBin) ? false : `${prometheusBin} is missing: install Debian's prometheus package`;

describe('relabeling agrees with Prometheus 2.42', { skip }, () => {
  let dir = '';
  let proc: ChildProcess | undefined;
  let stderr = '';
  let active = new Map<string, ApiTarget>();
  let dropped = new Map<string, ApiTarget>();

  before(
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'vigil-relabel-oracle-'));
      const configFile = join(dir, 'prometheus.yml');
      writeFileSync(
        configFile,
        prometheusYaml([...compared.map((c) => jobYaml(c, revealRule)), jobYaml(mirror, null)]),
      );
      const port = await freePort();
      proc = spawn(
        prometheusBin,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      proc.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      const base = `http://127.0.0.1:${port}`;
      await waitFor('Prometheus to be ready', readyTimeoutMs, async () => (await get(`${base}/-/ready`)).ok);
      // Discovery hands targets to the scrape manager every 5 s; wait until every job has reported, or the
      // count has settled (a target whose relabeled labels Prometheus rejects is reported nowhere).
      let last = -1;
      let settledSince = 0;
      await waitFor('every target to be reported', targetsTimeoutMs, async () => {
        const body = (await (await get(`${base}/api/v1/targets?state=any`)).json()) as {
          data: { activeTargets: ApiTarget[]; droppedTargets: ApiTarget[] };
        };
        active = new Map(body.data.activeTargets.map((t) => [t.scrapePool ?? '', t]));
        dropped = new Map(body.data.droppedTargets.map((t) => [key(t.discoveredLabels), t]));
        const count = active.size + dropped.size;
        if (count !== last) [last, settledSince] = [count, Date.now()];
        return count >= compared.length + 1 || (count > 0 && Date.now() - settledSince > 3_000);
      });
      async function waitFor(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (proc?.exitCode !== null) throw new Error(`Prometheus exited (${proc?.exitCode}):\n${stderr}`);
          if (await done().catch(() => false)) return;
          if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${stderr}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    { timeout: readyTimeoutMs + targetsTimeoutMs + 5_000 },
  );

  after(async () => {
    if (proc !== undefined && proc.exitCode === null && proc.signalCode === null) {
      const p = proc;
      const exited = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGTERM');
      const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('compares at least 25 cases, covering every action', () => {
    assert.ok(compared.length >= 25, `${compared.length} cases`);
    const actions = new Set(compared.flatMap((c) => decodeRules(c).map((r) => r.action)));
    assert.equal(actions.size, 11, [...actions].join(' '));
  });

  it(mirror.name, () => {
    const t = active.get(mirror.job);
    assert.ok(t !== undefined, 'no target for the mirror job');
    assert.deepEqual(t.discoveredLabels, inputOf(mirror));
    assert.deepEqual(t.labels, visible(Labels.fromObject(inputOf(mirror))));
  });

  for (const c of compared) {
    it(c.name, () => {
      const input = inputOf(c);
      const got = compileRelabel([...decodeRules(c), ...decodeRulesText(revealRule)]).relabel(Labels.fromObject(input));
      const kept = active.get(c.job);
      if (kept !== undefined) {
        assert.ok(
          got !== null,
          `Prometheus kept the target, vigil dropped it; Prometheus: ${JSON.stringify(kept.labels)}`,
        );
        assert.deepEqual(visible(got), kept.labels);
      } else if (dropped.has(key(input))) {
        assert.equal(got, null, `Prometheus dropped the target, vigil kept ${got?.toString()}`);
      } else {
        assert.fail(`Prometheus reports no target for job ${c.job} (did the rules remove __address__?)`);
      }
    });
  }

  describe('rules that do not compile are refused by promtool too', { skip: !existsSync(promtoolBin) }, () => {
    for (const c of refused) {
      it(c.name, () => {
        const file = join(dir, `${c.job}.yml`);
        writeFileSync(file, prometheusYaml([jobYaml(c, null)]));
        const r = spawnSync(promtoolBin, ['check', 'config', file], { timeout: 10_000, encoding: 'utf8' });
        assert.notEqual(r.status, 0, `promtool accepted it:\n${r.stdout}`);
        assert.match(`${r.stdout}${r.stderr}`, /regexp|regular expression|invalid|error parsing/i);
      });
    }
  });
});

/** The label set Prometheus feeds into relabeling for the case's static target. */
function inputOf(c: Job): Record<string, string> {
  const input: Record<string, string> = { ...c.labels, __address__: targetOf(c) };
  for (const [name, value] of Object.entries({ job: c.job, ...scrapeDefaults })) input[name] ??= value;
  return input;
}

function targetOf(c: RelabelCase): string {
  return c.labels.__address__ ?? '127.0.0.1:1';
}

/** What the targets API shows as `labels`: no __* labels, `instance` defaulting to __address__. */
function visible(l: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  l.forEach((name, value) => {
    if (!name.startsWith('__')) out[name] = value;
  });
  out.instance ??= l.get('__address__');
  return out;
}

function key(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A scrape job for the case: one static target with its labels, its rules and then `extraRule`, if any. */
function jobYaml(c: Job, extraRule: string | null): string {
  const indent = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n');
  const labels = Object.fromEntries(Object.entries(c.labels).filter(([n]) => n !== '__address__'));
  const rules = [c.rules.trim() === '[]' ? '' : c.rules, extraRule ?? ''].filter((r) => r !== '');
  return [
    `  - job_name: ${c.job}`,
    '    static_configs:',
    `      - targets: [${JSON.stringify(targetOf(c))}]`,
    `        labels: ${JSON.stringify(labels)}`,
    ...(rules.length > 0 ? ['    relabel_configs:', indent(rules.join('\n'))] : []),
  ].join('\n');
}

function prometheusYaml(jobs: readonly string[]): string {
  return `global:\n  scrape_interval: 1h\n  scrape_timeout: 10s\nscrape_configs:\n${jobs.join('\n')}\n`;
}

async function get(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}
