import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateError } from './errors.ts';
import { KV } from './kv.ts';
import { expand, TemplateSet } from './template-set.ts';

/** [name, template, data, expected output] */
const cases: [string, string, unknown, string][] = [
  ['text only', 'hello', undefined, 'hello'],
  ['dot', '{{ . }}', 'x', 'x'],
  ['field chain', '{{ .A.B.C }}', { A: { B: { C: 'deep' } } }, 'deep'],
  ['missing key prints empty', '[{{ .Nope }}][{{ .Nope.Deeper }}]', {}, '[][]'],
  ['KV field and missing name', '{{ .L.a }}|{{ .L.zz }}', { L: new KV({ a: 'b' }) }, 'b|'],
  ['variable field', '{{ $x := .A }}{{ $x.B }}', { A: { B: 1n } }, '1'],
  ['root variable', '{{ with .A }}{{ $.Top }}{{ end }}', { A: 1n, Top: 'top' }, 'top'],
  ['parenthesised chain', '{{ (index .L 0).Name }}', { L: [{ Name: 'n' }] }, 'n'],
  ['method without args', '{{ .Obj.Hello }}', { Obj: { Hello: () => 'hi' } }, 'hi'],
  ['method with args', '{{ .Obj.Add 1 2 }}', { Obj: { Add: (a: bigint, b: bigint) => a + b } }, '3'],
  ['method with piped arg', '{{ 2 | .Obj.Add 1 }}', { Obj: { Add: (a: bigint, b: bigint) => a * 10n + b } }, '12'],
  ['Firing as property', '{{ len .Alerts.Firing }}', { Alerts: Object.assign([1, 2, 3], { Firing: [1, 2] }) }, '2'],
  ['Firing as method', '{{ .Alerts.Firing | len }}', { Alerts: Object.assign([1], { Firing: () => [1] }) }, '1'],
  ['async method', '{{ .Later }}', { Later: async () => 'done' }, 'done'],
  ['pipeline last argument', '{{ "b" | printf "%s-%s" "a" }}', {}, 'a-b'],
  ['long pipeline', '{{ "x" | printf "<%s>" | printf "(%s)" }}', {}, '(<x>)'],
  ['if true', '{{ if .T }}yes{{ end }}', { T: true }, 'yes'],
  ['if false else', '{{ if .F }}yes{{ else }}no{{ end }}', { F: false }, 'no'],
  ['else if chain', '{{ if eq .N 1 }}one{{ else if eq .N 2 }}two{{ else }}many{{ end }}', { N: 2n }, 'two'],
  [
    'truthiness',
    '{{ if 0 }}a{{ end }}{{ if "" }}b{{ end }}{{ if .E }}c{{ end }}{{ if .M }}d{{ end }}{{ if .Z }}e{{ end }}{{ if 0.1 }}f{{ end }}',
    { E: [], M: {}, Z: null },
    'f',
  ],
  ['with sets dot', '{{ with .A }}{{ . }}{{ end }}', { A: 'a' }, 'a'],
  ['with else', '{{ with .A }}{{ . }}{{ else }}none{{ end }}', { A: '' }, 'none'],
  ['else with', '{{ with .A }}a{{ else with .B }}{{ . }}{{ else }}none{{ end }}', { A: '', B: 'b' }, 'b'],
  ['range array', '{{ range .L }}<{{ . }}>{{ end }}', { L: ['a', 'b'] }, '<a><b>'],
  ['range index and element', '{{ range $i, $e := .L }}{{ $i }}={{ $e }} {{ end }}', { L: ['a', 'b'] }, '0=a 1=b '],
  [
    'range map sorted',
    '{{ range $k, $v := . }}{{ $k }}:{{ $v }} {{ end }}',
    { b: '2', a: '1', c: '3' },
    'a:1 b:2 c:3 ',
  ],
  [
    'range KV sorted',
    '{{ range $k, $v := .L }}{{ $k }}={{ $v }};{{ end }}',
    { L: new KV({ z: '1', a: '2' }) },
    'a=2;z=1;',
  ],
  [
    'range Map',
    '{{ range . }}{{ . }}{{ end }}',
    new Map([
      ['b', 2n],
      ['a', 1n],
    ]),
    '12',
  ],
  ['range else', '{{ range .L }}x{{ else }}empty{{ end }}', { L: [] }, 'empty'],
  ['range over missing', '{{ range .Nope }}x{{ else }}empty{{ end }}', {}, 'empty'],
  ['range int', '{{ range 3 }}{{ . }}{{ end }}', {}, '012'],
  [
    'break and continue',
    '{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}',
    [1n, 2n, 3n, 4n, 5n],
    '13',
  ],
  ['range assigns outer variables', '{{ $e := 0 }}{{ range $e = .L }}{{ end }}{{ $e }}', { L: [1n, 2n] }, '2'],
  ['variable assignment in block', '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', {}, '2'],
  ['declaration scoped to block', '{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}', {}, '21'],
  ['declaration prints nothing', '{{ $x := "a" }}-', {}, '-'],
  ['trim both sides', 'a  {{- "b" -}}  c', {}, 'abc'],
  ['trim newlines', 'a\n\t{{- "b" }}\n', {}, 'ab\n'],
  ['trim right only', '{{ "a" -}}\n  b', {}, 'ab'],
  ['negative number is not a trim marker', '{{-3}}', {}, '-3'],
  ['comment', 'a{{/* note */}}b', {}, 'ab'],
  ['trimmed comment', 'a {{- /* note */ -}} b', {}, 'ab'],
  ['define and template', '{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" "x" }}{{ template "t" }}', {}, '[x][]'],
  ['template gets own variables', '{{ define "t" }}{{ $ }}{{ end }}{{ $x := 1 }}{{ template "t" "y" }}', {}, 'y'],
  ['block', '{{ block "b" .A }}<{{ . }}>{{ end }}', { A: 'a' }, '<a>'],
  ['string escapes', '{{ "a\\tb\\n\\x41\\u00e9\\"" }}', {}, 'a\tb\nAé"'],
  ['raw string', '{{ `a\\n{{b}}` }}', {}, 'a\\n{{b}}'],
  ['rune', "{{ 'a' }} {{ '\\n' }}", {}, '97 10'],
  [
    'numbers',
    '{{ 42 }} {{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 1_000 }} {{ -7 }} {{ 1.5 }} {{ 1e3 }} {{ .5 }}',
    {},
    '42 31 15 15 1000 -7 1.5 1000 0.5',
  ],
  ['booleans and nil arg', '{{ true }} {{ false }} {{ printf "%v" nil }}', {}, 'true false <nil>'],
  [
    'float64 printing',
    '{{ .A }} {{ .B }} {{ .C }} {{ .D }} {{ .E }} {{ .F }} {{ .G }}',
    { A: 0.5, B: 1e6, C: 100000, D: Number.POSITIVE_INFINITY, E: Number.NaN, F: 1.23456789e8, G: 0.00001 },
    '0.5 1e+06 100000 +Inf NaN 1.23456789e+08 1e-05',
  ],
  [
    'composite printing',
    '{{ .A }} {{ .M }} {{ .N }}',
    { A: ['a', 'b', 1.5], M: { b: 1n, a: [true] }, N: null },
    '[a b 1.5] map[a:[true] b:1] <nil>',
  ],
  ['KV prints like Go', '{{ .L }}', { L: new KV({ b: '2', alertname: 'X', a: '1' }) }, 'alertname=X, a=1, b=2'],
  [
    'date prints like time.Time',
    '{{ .D }}',
    { D: new Date(Date.UTC(2015, 5, 23, 13, 19, 44, 128)) },
    '2015-06-23 13:19:44.128 +0000 UTC',
  ],
  [
    'date methods',
    '{{ .D.Format "2006-01-02T15:04:05Z07:00" }} {{ .D.Unix }}',
    { D: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) },
    '2020-01-02T03:04:05Z 1577934245',
  ],
  ['prototype members are hidden', '[{{ .L.constructor }}][{{ .L.toString }}]', { L: {} }, '[][]'],
];

describe('template execution', () => {
  for (const [name, text, data, want] of cases) {
    it(name, async () => {
      assert.equal(await expand(text, data), want);
    });
  }
});

/** [name, template, data, message part] */
const failures: [string, string, unknown, string][] = [
  [
    'field of a string',
    '{{ .A.B }}',
    { A: 'str' },
    'template: t:1:3: executing "t" at <.A.B>: can\'t evaluate field B in type string',
  ],
  ['nil pointer', '{{ .A.B }}', { A: null }, 'nil pointer evaluating'],
  ['function error', '{{ index .L 5 }}', { L: [1n] }, 'error calling index: index out of range: 5'],
  ['wrong arg count', '{{ len 1 2 }}', {}, 'wrong number of args for len: want 1 got 2'],
  ['incompatible comparison', '{{ eq 1 "a" }}', {}, 'incompatible types for comparison'],
  ['int vs float', '{{ lt 1 1.5 }}', {}, 'incompatible types for comparison'],
  ['argument to non-function', '{{ "a" "b" }}', {}, "can't give argument to non-function"],
  ['non-method with args', '{{ .A 1 }}', { A: 'x' }, 'A has arguments but cannot be invoked as function'],
  ['missing template', '{{ template "nope" }}', {}, 'no template "nope"'],
  ['range over string', '{{ range .S }}{{ end }}', { S: 'abc' }, "range can't iterate over abc"],
  ['rejected promise', '{{ .P }}', { P: async () => Promise.reject(new Error('boom')) }, 'error calling P: boom'],
  [
    'deep recursion',
    '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" }}',
    {},
    'exceeded maximum template depth',
  ],
  ['exec error on second line', 'a\nb {{ .A.B }}', { A: 1n }, 't:2:5:'],
];

describe('template execution errors', () => {
  for (const [name, text, data, part] of failures) {
    it(name, async () => {
      const set = new TemplateSet().parse('t', text);
      await assert.rejects(set.execute('t', data), (err: unknown) => {
        assert.ok(err instanceof TemplateError);
        assert.equal(err.code, 'TEMPLATE_EXEC');
        assert.ok(err.message.includes(part), err.message);
        return true;
      });
    });
  }

  it('reports line and column of the failing node', async () => {
    const set = new TemplateSet().parse('t', 'line one\n  {{ .A.B }}');
    await assert.rejects(set.execute('t', { A: 'x' }), (err: unknown) => {
      assert.ok(err instanceof TemplateError);
      assert.deepEqual([err.template, err.line, err.column], ['t', 2, 5]);
      return true;
    });
  });

  it('names the inner template in an error raised inside it', async () => {
    const set = new TemplateSet().parse('outer', '{{ define "inner" }}{{ .A.B }}{{ end }}{{ template "inner" . }}');
    await assert.rejects(set.execute('outer', { A: 1n }), /template: outer:1:23: executing "inner" at <\.A\.B>/);
  });
});

describe('TemplateSet', () => {
  it('clone adds templates without touching the original', async () => {
    const base = new TemplateSet().parse('base', '{{ define "x" }}base{{ end }}');
    const copy = base.clone().parse('user', '{{ define "x" }}user{{ end }}{{ define "y" }}y{{ end }}');
    assert.equal(await base.execute('x', undefined), 'base');
    assert.equal(await copy.execute('x', undefined), 'user');
    assert.equal(base.has('y'), false);
    assert.equal(copy.has('y'), true);
  });

  it('an empty redefinition keeps the old template', async () => {
    const set = new TemplateSet().parse('a', '{{ define "x" }}old{{ end }}').parse('b', '{{ define "x" }}  {{ end }}');
    assert.equal(await set.execute('x', undefined), 'old');
  });

  it('functions add to and override the builtins', async () => {
    const set = new TemplateSet({ shout: (s) => `${s}!`, len: () => 'mine' }).parse(
      't',
      '{{ shout "a" }} {{ len "abc" }}',
    );
    assert.equal(await set.execute('t', undefined), 'a! mine');
  });

  it('rejects executing an unknown template', async () => {
    await assert.rejects(new TemplateSet().execute('nope', {}), TemplateError);
  });

  it('render parses a text into a clone, and renders an empty text as empty', async () => {
    const set = new TemplateSet().parse('lib', '{{ define "hi" }}hi {{ . }}{{ end }}');
    assert.equal(await set.render('{{ template "hi" . }}!', 'bob'), 'hi bob!');
    assert.equal(await set.render('', 'bob'), '');
    assert.deepEqual(set.names(), ['hi', 'lib']);
  });

  it('awaits concurrent executions independently', async () => {
    const set = new TemplateSet({ slow: async (v) => new Promise((r) => setImmediate(() => r(v))) }).parse(
      't',
      '{{ $x := slow . }}{{ $x }}',
    );
    const out = await Promise.all(['a', 'b', 'c'].map((d) => set.execute('t', d)));
    assert.deepEqual(out, ['a', 'b', 'c']);
  });
});

describe('structs and maps', () => {
  class Alert {
    constructor(readonly Status: string) {}
    Upper(): string {
      return this.Status.toUpperCase();
    }
  }

  it('a class instance is a struct: methods are callable, unknown fields are errors', async () => {
    assert.equal(await expand('{{ .A.Status }} {{ .A.Upper }}', { A: new Alert('firing') }), 'firing FIRING');
    await assert.rejects(expand('{{ .A.Nope }}', { A: new Alert('x') }), /can't evaluate field Nope in type \*Alert/);
  });

  it('a plain object is a map: unknown keys read as empty', async () => {
    assert.equal(await expand('[{{ .A.Nope }}]', { A: { Status: 'x' } }), '[]');
  });

  it('trimSpace is available to Alertmanager templates', async () => {
    const { alertmanagerFuncs } = await import('./funcs-alertmanager.ts');
    assert.equal(await expand('[{{ trimSpace "  a b \\n" }}]', undefined, alertmanagerFuncs), '[a b]');
  });
});
