import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Labels } from '../src/model/index.ts';
import { adminPassword, startApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

describe('the TSDB inside vigil start', () => {
  it('lives in data/tsdb and exposes its self-metrics', async () => {
    const t = await startApp({ config: 'storage:\n  tsdb:\n    retention_time: 30d\ncollector:\n  enabled: false\n' });
    try {
      assert.ok(existsSync(join(t.dir, 'data', 'tsdb', 'wal')));
      const app = t.app.tsdb.appender();
      app.append(Labels.fromObject({ __name__: 'demo', job: 'x' }), Date.now(), 1);
      await app.commit();
      const text = (await request(`${t.base}/metrics`, { headers: { Authorization: basic('admin', adminPassword) } }))
        .text;
      assert.match(text, /^vigil_tsdb_head_series 1$/m);
      assert.match(text, /^vigil_tsdb_head_samples_appended_total 1$/m);
      assert.match(text, /^vigil_tsdb_wal_corruptions_total 0$/m);
      assert.match(text, /^# TYPE vigil_tsdb_head_samples_appended_total counter$/m);
    } finally {
      await t.close();
    }
  });
});
