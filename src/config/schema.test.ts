import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { decodeYaml } from './decode.ts';
import {
  bool,
  byteSize,
  duration,
  hostPort,
  int,
  list,
  object,
  optional,
  record,
  regex,
  required,
  type Schema,
  secretField,
  section,
  str,
  withDefault,
} from './schema.ts';
import { issuesOf as configIssues } from './testing.ts';

const job = object({
  job_name: required(str({ nonEmpty: true })),
  scrape_interval: withDefault(duration(), 60_000),
  sample_limit: withDefault(int({ min: 0 }), 0),
  honor_labels: withDefault(bool(), false),
  labels: optional(record(str())),
  regex: optional(regex()),
  body_size_limit: optional(byteSize()),
  listen: optional(hostPort()),
  password: secretField('password_file'),
});
const root = object({
  inner: section(object({ level: withDefault(str(), 'info') })),
  jobs: withDefault(list(job), []),
});

const issuesOf = <T>(schema: Schema<T>, text: string) => configIssues(schema, text, { file: 'vigil.yml' });

describe('config schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-schema-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes values and applies defaults', () => {
    const v = decodeYaml(root, 'jobs:\n  - job_name: 123\n    scrape_interval: 1m30s\n    body_size_limit: 10MB\n');
    assert.equal(v.inner.level, 'info');
    assert.equal(v.jobs[0]?.job_name, '123');
    assert.equal(v.jobs[0]?.scrape_interval, 90_000);
    assert.equal(v.jobs[0]?.body_size_limit, 10 * 1024 * 1024);
    assert.equal(v.jobs[0]?.sample_limit, 0);
    assert.deepEqual(decodeYaml(root, ''), { inner: { level: 'info' }, jobs: [] });
  });

  it('reports a bad duration with file, line, column and key path', () => {
    const text = 'jobs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: fifteen\n';
    assert.deepEqual(issuesOf(root, text), [
      'vigil.yml:4:22: jobs[1].scrape_interval: expected a duration like 15s, got "fifteen"',
    ]);
  });

  it('reports unknown keys with a hint, and every problem at once', () => {
    const text = 'inner:\n  levle: debug\njobs:\n  - job_name: a\n    sample_limit: -1\n    honor_labels: yes\n';
    assert.deepEqual(issuesOf(root, text), [
      'vigil.yml:2:3: inner.levle: unknown key (did you mean level?)',
      'vigil.yml:5:19: jobs[0].sample_limit: expected an integer >= 0, got -1',
      'vigil.yml:6:19: jobs[0].honor_labels: expected true or false, got "yes"',
    ]);
  });

  it('reports missing required keys and wrong node kinds', () => {
    assert.deepEqual(issuesOf(root, 'jobs:\n  - scrape_interval: 1m\n'), [
      'vigil.yml:2:5: jobs[0].job_name: missing (expected a non-empty string)',
    ]);
    assert.deepEqual(issuesOf(root, 'jobs: {}\n'), [
      'vigil.yml:1:7: jobs: expected a list of a mapping, got a mapping',
    ]);
    assert.deepEqual(issuesOf(root, '- 1\n'), ['vigil.yml:1:1: expected a mapping, got a list']);
  });

  it('reports YAML syntax errors and duplicate keys with positions', () => {
    assert.match(issuesOf(root, 'inner:\n  level: [a\n')[0] as string, /^vigil\.yml:\d+:\d+: invalid YAML: /);
    assert.match(
      issuesOf(root, 'inner: {}\ninner: {}\n')[0] as string,
      /^vigil\.yml:2:1: invalid YAML: Map keys must be unique/,
    );
  });

  it('expands ${ENV} in secrets, reads *_file secrets, and never prints them', () => {
    const v = decodeYaml(root, 'jobs:\n  - job_name: a\n    password: "p-${PW}-$$x"\n', { env: { PW: 'hunter2' } });
    const pw = v.jobs[0]?.password;
    assert.equal(pw?.reveal(), 'p-hunter2-$x');
    assert.equal(String(pw), '<secret>');
    assert.equal(JSON.stringify(v).includes('hunter2'), false);
    assert.equal(inspect(v, { depth: 10 }).includes('hunter2'), false);
    assert.deepEqual(job.encode(v.jobs[0] as never), {
      job_name: 'a',
      scrape_interval: '1m',
      sample_limit: 0,
      honor_labels: false,
      password: '<secret>',
    });

    writeFileSync(join(dir, 'pw'), 's3cret\n');
    const f = decodeYaml(root, 'jobs:\n  - job_name: a\n    password_file: pw\n', { file: join(dir, 'vigil.yml') });
    assert.equal(f.jobs[0]?.password?.reveal(), 's3cret');
  });

  it('reports unset variables, missing secret files and both forms at once', () => {
    assert.deepEqual(issuesOf(root, 'jobs:\n  - job_name: a\n    password: ${NOPE}\n'), [
      'vigil.yml:3:15: jobs[0].password: environment variable NOPE is not set',
    ]);
    assert.deepEqual(issuesOf(root, 'jobs:\n  - job_name: a\n    password_file: /nonexistent/pw\n'), [
      'vigil.yml:3:20: jobs[0].password_file: cannot read secret file "/nonexistent/pw": no such file',
    ]);
    assert.deepEqual(issuesOf(root, 'jobs:\n  - job_name: a\n    password: x\n    password_file: y\n'), [
      'vigil.yml:4:5: jobs[0].password_file: cannot be used together with password',
    ]);
  });

  it('follows anchors, aliases and merge keys', () => {
    const text = 'jobs:\n  - &base\n    job_name: a\n    sample_limit: 5\n  - <<: *base\n    job_name: b\n';
    const v = decodeYaml(root, text);
    assert.equal(v.jobs[1]?.job_name, 'b');
    assert.equal(v.jobs[1]?.sample_limit, 5);
  });

  it('checks regexes and host:port', () => {
    assert.match(
      issuesOf(root, 'jobs:\n  - job_name: a\n    regex: "(a"\n')[0] as string,
      /jobs\[0\]\.regex: invalid regular expression "\(a"/,
    );
    assert.deepEqual(issuesOf(root, 'jobs:\n  - job_name: a\n    listen: "localhost:99999"\n'), [
      'vigil.yml:3:13: jobs[0].listen: expected host:port like 127.0.0.1:9090, got "localhost:99999"',
    ]);
  });
});
