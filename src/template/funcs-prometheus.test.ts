import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateError } from './errors.ts';
import { prometheusFuncs, type QuerySample } from './funcs-prometheus.ts';
import { checkRuleTemplate, expandRuleTemplate } from './rule-template.ts';
import { expand } from './template-set.ts';

const vector: QuerySample[] = [
  { Labels: { __name__: 'up', job: 'node', instance: 'b:9100' }, Value: 0 },
  { Labels: { __name__: 'up', job: 'api', instance: 'a:8080' }, Value: 1 },
];
const calls: [string, number][] = [];
const funcs = prometheusFuncs({
  query: async (q, timeMs) => {
    calls.push([q, timeMs]);
    return q === 'empty' ? [] : vector;
  },
  timeMs: 1_700_000_000_000,
  externalURL: 'http://prom.example:9090/prometheus',
});

/**
 * [template, expected]. The expectations were checked against Prometheus 2.42 (`promtool test rules` with the
 * same annotations) where that release has the function.
 */
const cases: [string, string][] = [
  ['{{ humanize 1234567 }}', '1.235M'],
  ['{{ humanize 0.00012 }}', '120u'],
  [
    '{{ humanize 0 }}|{{ humanize -1234 }}|{{ humanize 1e30 }}|{{ humanize 0.5 }}|{{ humanize "1234" }}|{{ humanize 1e-30 }}|{{ humanize 999.95 }}|{{ humanize 1 }}',
    '0|-1.234k|1e+06Y|500m|1.234k|1e-06y|1000|1',
  ],
  [
    '{{ humanize1024 1048576 }}|{{ humanize1024 0.5 }}|{{ humanize1024 1023 }}|{{ humanize1024 1024 }}|{{ humanize1024 1e30 }}',
    '1Mi|0.5|1023|1ki|8.272e+05Yi',
  ],
  [
    '{{ humanizeDuration 90061 }}|{{ humanizeDuration 0.5 }}|{{ humanizeDuration -90061 }}|{{ humanizeDuration 1.5 }}|{{ humanizeDuration 60.5 }}|{{ humanizeDuration 0 }}|{{ humanizeDuration 0.000001234 }}|{{ humanizeDuration 3661 }}',
    '1d 1h 1m 1s|500ms|-1d 1h 1m 1s|1.5s|1m 0s|0s|1.234us|1h 1m 1s',
  ],
  [
    '{{ humanizePercentage 0.1234 }}|{{ humanizePercentage 1 }}|{{ humanizePercentage 0.000012345 }}',
    '12.34%|100%|0.001234%',
  ],
  [
    '{{ humanizeTimestamp 1435065584.128 }}|{{ humanizeTimestamp 0 }}',
    '2015-06-23 13:19:44.128 +0000 UTC|1970-01-01 00:00:00 +0000 UTC',
  ],
  ['{{ humanize (1.0 | humanizeDuration | len) }}', '2'],
  [
    '{{ toTime 1435065584.128 }}|{{ (toTime 1435065584).Format "2006-01-02" }}',
    '2015-06-23 13:19:44.128 +0000 UTC|2015-06-23',
  ],
  ['{{ toDuration 3600.5 }}|{{ toDuration 0.25 }}', '1h0m0.5s|250ms'],
  ['{{ parseDuration "1h30m" }}|{{ parseDuration "250ms" }}', '5400|0.25'],
  ['{{ title "hello wORLD don\'t 3rd foo_bar" }}', "Hello WORLD Don'T 3rd Foo_bar"],
  ['{{ toUpper "abc" }}|{{ toLower "ABC" }}|{{ safeHtml "<b>" }}', 'ABC|abc|<b>'],
  ['{{ match "^a" "abc" }}|{{ match "^b" "abc" }}', 'true|false'],
  ['{{ reReplaceAll "(a)(?P<n>b)?" "[$1${n}$2x]" "abac" }}', '[ab][a]c'],
  [
    '{{ reReplaceAll "localhost:(.*)" "my.domain:$1" "localhost:3000" }}|{{ reReplaceAll "x*" "-" "abc" }}|{{ reReplaceAll "a|" "X" "baaac" }}',
    'my.domain:3000|-a-b-c-|XbXXXcX',
  ],
  [
    '{{ graphLink "up == 0" }}|{{ tableLink "rate(x[5m])" }}',
    '/graph?g0.expr=up+%3D%3D+0&g0.tab=0|/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=1',
  ],
  [
    '{{ stripDomain "foo.example.com:9090" }}|{{ stripDomain "10.0.0.1:80" }}|{{ stripDomain "foo.bar" }}|{{ stripPort "[::1]:80" }}|{{ stripPort "foo" }}',
    'foo:9090|10.0.0.1:80|foo|::1|foo',
  ],
  ['{{ args 1 "a" }}|{{ (args 1 "a").arg1 }}', 'map[arg0:1 arg1:a]|a'],
  ['{{ externalURL }}|{{ pathPrefix }}', 'http://prom.example:9090/prometheus|/prometheus'],
  ['{{ range query "up" }}{{ .Labels.job }}={{ .Value }} {{ end }}', 'node=0 api=1 '],
  [
    '{{ query "up" | first | value }}|{{ with query "up" }}{{ (first .).Labels.instance }}{{ end }}|{{ query "up" | first | label "job" }}',
    '0|b:9100|node',
  ],
  ['{{ range sortByLabel "job" (query "up") }}{{ label "job" . }} {{ end }}', 'api node '],
  ['{{ strvalue (first (query "up")) }}|', '|'],
];

describe('Prometheus template functions', () => {
  for (const [text, want] of cases) {
    it(text, async () => assert.equal(await expand(text, undefined, funcs), want));
  }

  it('runs queries at the evaluation time', async () => {
    calls.length = 0;
    await expand('{{ query "up" }}{{ query "x" }}', undefined, funcs);
    assert.deepEqual(calls, [
      ['up', 1_700_000_000_000],
      ['x', 1_700_000_000_000],
    ]);
  });

  /** [template, error message part] */
  const failures: [string, string][] = [
    ['{{ query "empty" | first }}', 'error calling first: first() called on vector with no elements'],
    ['{{ humanize "abc" }}', 'error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax'],
    ['{{ reReplaceAll "(" "" "x" }}', 'error calling reReplaceAll: error parsing regexp'],
    ['{{ parseDuration "1x" }}', 'not a valid duration string: "1x"'],
    ['{{ toUpper 1 }}', 'wrong type for value; expected string; got int'],
    ['{{ humanize 1 2 }}', 'wrong number of args for humanize: want 1 got 2'],
  ];
  for (const [text, part] of failures) {
    it(`fails: ${text}`, async () => {
      await assert.rejects(expand(text, undefined, funcs), (err: unknown) => {
        assert.ok(err instanceof TemplateError && err.message.includes(part), String(err));
        return true;
      });
    });
  }
});

describe('rule templates', () => {
  const data = {
    labels: { instance: 'web-1', job: 'api' },
    externalLabels: { cluster: 'eu1' },
    externalURL: 'http://prom',
    value: 1234567,
  };

  /** [template, value, expected] */
  const rules: [string, number, string][] = [
    ['{{ $labels.instance }} {{ $value | humanize }}', 1234567, 'web-1 1.235M'],
    ['{{ $value }}|{{ .Value }}', 0.1, '0.1|0.1'],
    ['{{ $value }}', 1e6, '1e+06'],
    ['{{ $value }}', Number.POSITIVE_INFINITY, '+Inf'],
    ['{{ $value }}', Number.NaN, 'NaN'],
    ['{{ $labels }}', 1, 'map[instance:web-1 job:api]'],
    ['[{{ $labels.missing }}]', 1, '[]'],
    ['{{ $externalLabels.cluster }} {{ $externalURL }}', 1, 'eu1 http://prom'],
    ['{{ if gt $value 1000.0 }}high{{ else }}low{{ end }}', 1234567, 'high'],
    ['{{ printf "%.2f" $value }}', 2.345, '2.35'],
  ];
  for (const [text, value, want] of rules) {
    it(`${text} with ${value}`, async () => {
      assert.equal(await expandRuleTemplate(text, { ...data, value }, funcs, '__alert_Test'), want);
    });
  }

  it("returns Prometheus' error text and reports execution errors", async () => {
    const errors: TemplateError[] = [];
    const out = await expandRuleTemplate('{{ query "empty" | first }}', data, funcs, '__alert_Test', (e) =>
      errors.push(e),
    );
    assert.equal(
      out,
      '<error expanding template: error executing template __alert_Test: template: __alert_Test:1:131: executing "__alert_Test" at <first>: error calling first: first() called on vector with no elements>',
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'TEMPLATE_EXEC');
  });

  it('returns the parse error text', async () => {
    const errors: TemplateError[] = [];
    const out = await expandRuleTemplate('{{ nosuch }}', data, funcs, '__alert_Test', (e) => errors.push(e));
    assert.equal(
      out,
      '<error expanding template: error parsing template __alert_Test: template: __alert_Test:1: function "nosuch" not defined>',
    );
    assert.equal(errors[0]?.code, 'TEMPLATE_PARSE');
  });

  it('compares a float value with an int literal as Go does: an error', async () => {
    const out = await expandRuleTemplate('{{ if gt $value 1 }}x{{ end }}', data, funcs, '__alert_Test');
    assert.match(out, /incompatible types for comparison/);
  });
});

describe('checkRuleTemplate', () => {
  it('knows the header variables', () => {
    assert.equal(
      checkRuleTemplate(
        '{{ $labels.instance }} {{ $value | humanize }} {{ $externalURL }} {{ $externalLabels }}',
        funcs,
        '__alert_X',
      ),
      undefined,
    );
  });

  it('points into the text itself', () => {
    const err = checkRuleTemplate('ok {{ $nope }}', funcs, '__alert_X');
    assert.equal(err?.message, 'template: __alert_X:1: undefined variable "$nope"');
    assert.deepEqual([err?.line, err?.column], [1, 6]);
    const err2 = checkRuleTemplate('ok\n {{ nosuch }}', funcs, '__alert_X');
    assert.deepEqual([err2?.line, err2?.column, err2?.code], [2, 4, 'TEMPLATE_PARSE']);
  });
});
