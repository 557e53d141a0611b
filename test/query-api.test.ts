// The Prometheus query API of a running vigil, over loopback HTTP: every endpoint's shape, upstream's error texts
// and codes, time and step forms, limits, the admin TSDB endpoints and `vigil query`.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { queryCommand } from '../src/cli/query.ts';
import { Labels } from '../src/model/index.ts';
import { type Engine, QueryCanceledError, QueryTimeoutError } from '../src/promql/index.ts';
import { createApiToken, hashPassword } from '../src/server/index.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, type Reply, request } from './support/http.ts';

/** Start of the test data, whole seconds, within the last hour (the head keeps it). */
const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const sec = (ms: number) => String(ms / 1000);

describe('the Prometheus query API', () => {
  let t: TestApp;
  let viewerAuth: string;
  const admin = { Authorization: basic('admin', adminPassword) };

  const get = (path: string, headers: Record<string, string> = admin): Promise<Reply> =>
    request(`${t.base}${path}`, { headers });
  const post = (path: string, form: Record<string, string | string[]>, method = 'POST'): Promise<Reply> => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
    return request(`${t.base}${path}`, {
      method,
      headers: { ...admin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  /** Asserts an error answer: status, type and exact message. */
  const fails = (r: Reply, status: number, errorType: string, error: string) => {
    assert.equal(r.status, status, r.text);
    assert.deepEqual(r.json(), { status: 'error', errorType, error });
  };

  before(async () => {
    // The collector off: this data is written an hour in the past, before any sample of now.
    t = await startApp({ config: 'collector:\n  enabled: false\n' });
    t.app.store.users.create('viewer', await hashPassword('viewer-password'), 'viewer');
    viewerAuth = basic('viewer', 'viewer-password');
    const app = t.app.tsdb.appender();
    const series = [
      { __name__: 'demo_requests_total', job: 'api', instance: 'a' },
      { __name__: 'demo_requests_total', job: 'api', instance: 'b' },
      { __name__: 'demo_requests_total', job: 'db', instance: 'c' },
    ];
    for (let i = 0; i <= 40; i++) {
      series.forEach((s, k) => {
        app.append(Labels.fromObject(s), base + i * 15_000, i * 10 * (k + 1));
      });
      app.append(
        Labels.fromObject({ __name__: 'demo_odd', tag: 'a<b&c', 'http.method': 'GET' }),
        base + i * 15_000,
        0.5,
      );
    }
    await app.commit();
  });
  after(() => t.close());

  describe('/api/v1/query', () => {
    it('answers an instant vector with Prometheus timestamps and values', async () => {
      const r = await get(`/api/v1/query?${q({ query: 'demo_requests_total{job="api"}', time: sec(base + 60_500) })}`);
      assert.equal(r.status, 200, r.text);
      const body = r.json<{ status: string; data: { resultType: string; result: unknown[] } }>();
      assert.equal(body.status, 'success');
      assert.equal(body.data.resultType, 'vector');
      assert.ok(!('warnings' in body) && !('infos' in body));
      const at = `${(base + 60_500) / 1000 - 0.5}.500`;
      assert.ok(
        r.text.includes(
          `{"metric":{"__name__":"demo_requests_total","instance":"a","job":"api"},"value":[${at},"40"]}`,
        ),
        r.text,
      );
      assert.ok(
        r.text.includes(
          `{"metric":{"__name__":"demo_requests_total","instance":"b","job":"api"},"value":[${at},"80"]}`,
        ),
      );
      assert.equal(body.data.result.length, 2);
    });

    it('answers scalars and strings as upstream (float seconds, no millisecond padding)', async () => {
      assert.equal(
        (await post('/api/v1/query', { query: '1+1', time: '4' })).text,
        '{"status":"success","data":{"resultType":"scalar","result":[4,"2"]}}',
      );
      assert.equal(
        (await get(`/api/v1/query?${q({ query: '"a<b"', time: '1.5' })}`)).text,
        '{"status":"success","data":{"resultType":"string","result":[1.5,"a\\u003cb"]}}',
      );
    });

    it('takes the time as RFC 3339 with a fraction and as Unix seconds, and now when absent', async () => {
      const iso = new Date(base + 60_000).toISOString();
      const a = await get(`/api/v1/query?${q({ query: 'demo_requests_total{instance="a"}', time: iso })}`);
      const b = await get(
        `/api/v1/query?${q({ query: 'demo_requests_total{instance="a"}', time: sec(base + 60_000) })}`,
      );
      assert.equal(a.text, b.text);
      assert.match(a.text, /"value":\[\d+,"40"\]/);
      const now = await get(`/api/v1/query?${q({ query: 'time()' })}`);
      const [ts] = now.json<{ data: { result: [number, string] } }>().data.result;
      assert.ok(Math.abs(ts * 1000 - Date.now()) < 10_000);
    });

    it('keeps the first series up to limit and warns', async () => {
      const r = await get(`/api/v1/query?${q({ query: 'demo_requests_total', time: sec(base + 60_000), limit: '2' })}`);
      const body = r.json<{ data: { result: unknown[] }; warnings: string[] }>();
      assert.equal(body.data.result.length, 2);
      assert.deepEqual(body.warnings, ['results truncated due to limit']);
    });

    it('applies lookback_delta', async () => {
      const at = sec(base + 10 * 15_000 + 10_000);
      const near = await get(`/api/v1/query?${q({ query: 'demo_requests_total', time: at, lookback_delta: '5s' })}`);
      assert.deepEqual(near.json<{ data: { result: unknown[] } }>().data.result, []);
      const far = await get(`/api/v1/query?${q({ query: 'demo_requests_total', time: at, lookback_delta: '1m' })}`);
      assert.equal(far.json<{ data: { result: unknown[] } }>().data.result.length, 3);
    });

    it('refuses bad parameters in upstream words, in upstream order', async () => {
      fails(
        await get(`/api/v1/query?${q({ query: 'sum(' })}`),
        400,
        'bad_data',
        'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
      );
      fails(
        await get('/api/v1/query'),
        400,
        'bad_data',
        'invalid parameter "query": unknown position: parse error: no expression found in input',
      );
      fails(
        await get(`/api/v1/query?${q({ query: 'sum(', time: 'soon', timeout: 'x' })}`),
        400,
        'bad_data',
        `invalid parameter "time": invalid time value for 'time': cannot parse "soon" to a valid timestamp`,
      );
      fails(
        await get(`/api/v1/query?${q({ query: 'sum(', timeout: 'x', lookback_delta: 'y' })}`),
        400,
        'bad_data',
        'invalid parameter "timeout": cannot parse "x" to a valid duration',
      );
      fails(
        await get(`/api/v1/query?${q({ query: 'up', lookback_delta: 'y' })}`),
        400,
        'bad_data',
        'error parsing lookback delta duration: cannot parse "y" to a valid duration',
      );
      fails(
        await get(`/api/v1/query?${q({ query: 'up', limit: '-1', time: 'x' })}`),
        400,
        'bad_data',
        'invalid parameter "limit": limit must be non-negative',
      );
    });

    it('answers 422 for a query that fails while running', async () => {
      const r = await get(
        `/api/v1/query?${q({ query: 'demo_requests_total + on (job) demo_requests_total', time: sec(base + 60_000) })}`,
      );
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json().errorType, 'execution');
    });

    it('requires credentials', async () => {
      const r = await get(`/api/v1/query?${q({ query: 'up' })}`, {});
      assert.equal(r.status, 401);
      assert.equal(r.json().errorType, 'unauthorized');
    });
  });

  describe('/api/v1/query_range', () => {
    const range = (more: Record<string, string>) =>
      get(`/api/v1/query_range?${q({ query: 'demo_requests_total{instance="a"}', ...more })}`);

    it('answers a matrix; the step may be a duration or seconds, the times RFC 3339 or Unix', async () => {
      const start = sec(base);
      const end = sec(base + 60_000);
      const a = await range({ start, end, step: '15s' });
      assert.equal(a.status, 200, a.text);
      const s0 = base / 1000;
      assert.equal(
        a.text,
        `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"demo_requests_total","instance":"a","job":"api"},"values":[[${s0},"0"],[${s0 + 15},"10"],[${s0 + 30},"20"],[${s0 + 45},"30"],[${s0 + 60},"40"]]}]}}`,
      );
      const b = await range({
        start: new Date(base).toISOString(),
        end: new Date(base + 60_000).toISOString(),
        step: '15',
      });
      assert.equal(b.text, a.text);
      const c = await post('/api/v1/query_range', {
        query: 'demo_requests_total{instance="a"}',
        start,
        end,
        step: '15000ms',
      });
      assert.equal(c.text, a.text);
    });

    it('limits points per series to 11,000', async () => {
      assert.equal((await range({ start: '0', end: '11000', step: '1' })).status, 200);
      fails(
        await range({ start: '0', end: '11001', step: '1' }),
        400,
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    });

    it('refuses bad parameters in upstream words', async () => {
      fails(
        await range({ start: '10', end: '5', step: '1' }),
        400,
        'bad_data',
        'invalid parameter "end": end timestamp must not be before start time',
      );
      fails(
        await range({ end: '10', step: '1' }),
        400,
        'bad_data',
        'invalid parameter "start": cannot parse "" to a valid timestamp',
      );
      fails(
        await range({ start: '0', end: '10', step: '0' }),
        400,
        'bad_data',
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
      fails(
        await range({ start: '0', end: '10', step: 'often' }),
        400,
        'bad_data',
        'invalid parameter "step": cannot parse "often" to a valid duration',
      );
      fails(
        await range({ start: '0', end: '10', step: '1e30' }),
        400,
        'bad_data',
        'invalid parameter "step": cannot parse "1e30" to a valid duration. It overflows int64',
      );
      fails(
        await get(`/api/v1/query_range?${q({ query: 'up[5m]', start: '0', end: '60', step: '15' })}`),
        400,
        'bad_data',
        'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector',
      );
    });
  });

  describe('engine failures and client disconnects', () => {
    /** Runs `fn` with the app's engine replaced by `fake`. */
    const withEngine = async (fake: Partial<Engine>, fn: () => Promise<void>) => {
      const real = t.app.engine;
      t.app.engine = { ...fake, parse: real.parse.bind(real) } as Engine;
      try {
        await fn();
      } finally {
        t.app.engine = real;
      }
    };

    it('answers 503 for a timeout and 499 for a canceled query', async () => {
      await withEngine({ instantQuery: () => Promise.reject(new QueryTimeoutError('query execution')) }, async () =>
        fails(await get('/api/v1/query?query=up'), 503, 'timeout', 'query timed out in query execution'),
      );
      await withEngine({ instantQuery: () => Promise.reject(new QueryCanceledError('query execution')) }, async () =>
        fails(await get('/api/v1/query?query=up'), 499, 'canceled', 'query was canceled in query execution'),
      );
    });

    it('passes timeout and lookback_delta to the engine', async () => {
      let seen: unknown;
      await withEngine(
        {
          instantQuery: (_q, _s, _t, opts) => {
            seen = { timeoutMs: opts?.timeoutMs, lookbackDeltaMs: opts?.lookbackDeltaMs };
            return Promise.reject(new QueryTimeoutError('query execution'));
          },
        },
        async () => {
          await get(`/api/v1/query?${q({ query: 'up', timeout: '1500ms', lookback_delta: '2m' })}`);
        },
      );
      assert.deepEqual(seen, { timeoutMs: 1500, lookbackDeltaMs: 120_000 });
    });

    it('aborts the query when the client goes away', async () => {
      let called: () => void = () => {};
      const started = new Promise<void>((resolve) => {
        called = resolve;
      });
      let aborted: (v: boolean) => void = () => {};
      const outcome = new Promise<boolean>((resolve) => {
        aborted = resolve;
      });
      await withEngine(
        {
          instantQuery: (_q, _s, _t, opts) => {
            called();
            return new Promise((_, reject) => {
              const timer = setTimeout(() => aborted(false), 5000);
              opts?.signal?.addEventListener('abort', () => {
                clearTimeout(timer);
                aborted(true);
                reject(new QueryCanceledError('query execution'));
              });
            });
          },
        },
        async () => {
          const { port } = t.app.server.address();
          const socket = connect(port, '127.0.0.1');
          socket.on('error', () => {});
          socket.write(
            `GET /api/v1/query?query=up HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${admin.Authorization}\r\n\r\n`,
          );
          await started;
          socket.destroy();
          assert.equal(await outcome, true);
        },
      );
    });
  });

  describe('/api/v1/series', () => {
    it('lists the union of several selectors, sorted, labels unescaped', async () => {
      const r = await get(
        `/api/v1/series?${q({ 'match[]': 'demo_odd' })}&match[]=${encodeURIComponent('{instance="c"}')}`,
      );
      assert.equal(
        r.text,
        '{"status":"success","data":[{"__name__":"demo_odd","http.method":"GET","tag":"a<b&c"},{"__name__":"demo_requests_total","instance":"c","job":"db"}]}',
      );
    });

    it('takes POST forms, start and end, and limit with a warning', async () => {
      const r = await post('/api/v1/series', {
        'match[]': 'demo_requests_total',
        start: sec(base),
        end: sec(base + 60_000),
        limit: '2',
      });
      const body = r.json<{ data: Record<string, string>[]; warnings: string[] }>();
      assert.deepEqual(
        body.data.map((s) => s.instance),
        ['a', 'b'],
      );
      assert.deepEqual(body.warnings, ['results truncated due to limit']);
      const before = await get(`/api/v1/series?${q({ 'match[]': 'demo_requests_total', end: sec(base - 60_000) })}`);
      assert.equal(before.text, '{"status":"success","data":[]}');
    });

    it('refuses requests without or with bad selectors', async () => {
      fails(await get('/api/v1/series'), 400, 'bad_data', 'no match[] parameter provided');
      fails(
        await get(`/api/v1/series?${q({ 'match[]': '{job=~".*"}' })}`),
        400,
        'bad_data',
        'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
      );
      fails(
        await get(`/api/v1/series?${q({ 'match[]': 'up{', start: 'x' })}`),
        400,
        'bad_data',
        `invalid parameter "start": invalid time value for 'start': cannot parse "x" to a valid timestamp`,
      );
    });
  });

  describe('/api/v1/labels and /api/v1/label/<name>/values', () => {
    it('lists label names, filtered by selectors, with limit', async () => {
      const all = await get(`/api/v1/labels?${q({ 'match[]': 'demo_odd' })}`);
      assert.equal(all.text, '{"status":"success","data":["__name__","http.method","tag"]}');
      const two = await post('/api/v1/labels', { 'match[]': ['demo_odd', 'demo_requests_total'], limit: '2' });
      assert.deepEqual(two.json(), {
        status: 'success',
        data: ['__name__', 'http.method'],
        warnings: ['results truncated due to limit'],
      });
      fails(
        await get(`/api/v1/labels?${q({ 'match[]': 'up{' })}`),
        400,
        'bad_data',
        '1:4: parse error: unexpected end of input inside braces',
      );
    });

    it('lists label values, HTML-escaped, and reads U__ names', async () => {
      const v = await get(`/api/v1/label/tag/values`);
      assert.equal(v.text, '{"status":"success","data":["a\\u003cb\\u0026c"]}');
      const escaped = await get(`/api/v1/label/U__http_2e_method/values`);
      assert.equal(escaped.text, '{"status":"success","data":["GET"]}');
      const jobs = await get(`/api/v1/label/job/values?${q({ 'match[]': 'demo_requests_total', limit: '1' })}`);
      assert.deepEqual(jobs.json(), { status: 'success', data: ['api'], warnings: ['results truncated due to limit'] });
      fails(await get('/api/v1/label/%FF/values'), 400, 'bad_data', 'invalid label name: "\\xff"');
      fails(
        await get(`/api/v1/label/job/values?${q({ 'match[]': '{}' })}`),
        400,
        'bad_data',
        'match[] must contain at least one non-empty matcher',
      );
      assert.equal((await get('/api/v1/label/job/other')).status, 404);
    });
  });

  describe('exemplars, formatting and parsing', () => {
    it('answers query_exemplars with no exemplars, 204 without selectors', async () => {
      const r = await get(`/api/v1/query_exemplars?${q({ query: 'demo_requests_total', start: '1', end: '2' })}`);
      assert.equal(r.text, '{"status":"success","data":[]}');
      assert.equal((await get(`/api/v1/query_exemplars?${q({ query: '1+1' })}`)).status, 204);
      fails(
        await get(`/api/v1/query_exemplars?${q({ query: 'up', start: '2', end: '1' })}`),
        400,
        'bad_data',
        'end timestamp must not be before start timestamp',
      );
    });

    it('formats and parses queries', async () => {
      const f = await post('/api/v1/format_query', { query: 'sum(rate(x[5m]))by(job)' });
      assert.equal(f.text, '{"status":"success","data":"sum by (job) (rate(x[5m]))"}');
      fails(
        await get(`/api/v1/format_query?${q({ query: 'sum(' })}`),
        400,
        'bad_data',
        'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
      );
      const p = await get(`/api/v1/parse_query?${q({ query: 'up > 1' })}`);
      const tree = p.json<{ data: { type: string; op: string; rhs: unknown } }>().data;
      assert.equal(tree.type, 'binaryExpr');
      assert.equal(tree.op, '>');
      assert.deepEqual(tree.rhs, { type: 'numberLiteral', val: '1' });
    });
  });

  describe('status endpoints', () => {
    it('reports head cardinality', async () => {
      const r = await get('/api/v1/status/tsdb?limit=3');
      const s = r.json<{
        data: {
          headStats: { numSeries: number; chunkCount: number; minTime: number; maxTime: number };
          seriesCountByMetricName: { name: string; value: number }[];
          seriesCountByLabelValuePair: unknown[];
        };
      }>().data;
      assert.ok(s.headStats.numSeries >= 4);
      assert.ok(s.headStats.chunkCount >= 4);
      assert.ok(s.headStats.minTime <= base && s.headStats.maxTime >= base + 600_000);
      assert.ok(s.seriesCountByMetricName.some((e) => e.name === 'demo_requests_total' && e.value === 3));
      assert.ok(s.seriesCountByLabelValuePair.length <= 3);
      fails(await get('/api/v1/status/tsdb?limit=0'), 400, 'bad_data', 'limit must be a positive number');
    });

    it('reports build info in Prometheus field names', async () => {
      const b = (await get('/api/v1/status/buildinfo')).json<{ data: Record<string, string> }>().data;
      assert.deepEqual(Object.keys(b).slice(0, 6), [
        'version',
        'revision',
        'branch',
        'buildUser',
        'buildDate',
        'goVersion',
      ]);
    });
  });

  describe('TSDB admin', () => {
    it('is for admins only', async () => {
      const r = await request(`${t.base}/api/v1/admin/tsdb/clean_tombstones`, {
        method: 'POST',
        headers: { Authorization: viewerAuth },
      });
      assert.equal(r.status, 403);
      assert.equal((await get(`/api/v1/query?${q({ query: '1' })}`, { Authorization: viewerAuth })).status, 200);
      fails(await post('/api/v1/admin/tsdb/delete_series', {}), 400, 'bad_data', 'no match[] parameter provided');
    });

    it('deletes series in a time range (204) and cleans tombstones (204)', async () => {
      const count = async (at: number) =>
        (await get(`/api/v1/query?${q({ query: 'demo_requests_total{job="db"}', time: sec(at) })}`)).json<{
          data: { result: unknown[] };
        }>().data.result.length;
      assert.equal(await count(base + 60_000), 1);
      const d = await post(
        '/api/v1/admin/tsdb/delete_series',
        { 'match[]': 'demo_requests_total{job="db"}', start: sec(base), end: sec(base + 300_000) },
        'PUT',
      );
      assert.equal(d.status, 204, d.text);
      assert.equal(d.text, '');
      assert.equal(await count(base + 60_000), 0);
      assert.equal(await count(base + 600_000), 1);
      const all = await post('/api/v1/admin/tsdb/delete_series', { 'match[]': '{job="db"}' });
      assert.equal(all.status, 204);
      assert.equal(await count(base + 600_000), 0);
      const c = await post('/api/v1/admin/tsdb/clean_tombstones', {});
      assert.equal(c.status, 204, c.text);
    });
  });

  describe('vigil query', () => {
    let token: string;
    before(() => {
      const user = t.app.store.users.byName('admin');
      token = createApiToken(t.app.store, user?.id ?? 0, 'cli-test', null).secret;
    });
    const run = async (expr: string, flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await queryCommand(
        expr,
        { url: t.base, ...flags },
        env,
        (x) => out.push(x),
        (x) => err.push(x),
      );
      return { code, out: out.join(''), err: err.join('') };
    };

    it('prints an instant vector as an aligned table', async () => {
      const r = await run('sort(demo_requests_total{job="api"})', { time: sec(base + 60_000) }, { VIGIL_TOKEN: token });
      assert.equal(r.code, 0, r.err);
      assert.equal(
        r.out,
        [
          'SERIES                                        VALUE',
          'demo_requests_total{instance="a", job="api"}     40',
          'demo_requests_total{instance="b", job="api"}     80',
          '',
        ].join('\n'),
      );
    });

    it('prints a range with times, and scalars', async () => {
      const r = await run('demo_requests_total{instance="a"}', {
        range: [sec(base), sec(base + 15_000), '15s'],
        token,
      });
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0] as string, /^SERIES\s+VALUE {2}TIME$/);
      assert.ok((lines[2] as string).endsWith(`10  ${new Date(base + 15_000).toISOString()}`), lines[2]);
      const s = await run('1+1', { token });
      assert.equal(s.out, 'SCALAR\n2\n');
    });

    it('reports errors on stderr and exits 1', async () => {
      const bad = await run('sum(', { token });
      assert.equal(bad.code, 1);
      assert.equal(bad.out, '');
      assert.equal(
        bad.err,
        'vigil: bad_data: invalid parameter "query": 1:5: parse error: unclosed left parenthesis\n',
      );
      const anon = await run('up', {});
      assert.equal(anon.code, 1);
      assert.match(anon.err, /^vigil: unauthorized: .*\(pass --token or set VIGIL_TOKEN\)\n$/);
    });
  });
});
