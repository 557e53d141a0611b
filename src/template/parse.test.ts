import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateError } from './errors.ts';
import { checkTemplate, TemplateSet } from './template-set.ts';

const funcs = { known: () => 'k' };

/** [name, template, expected message (exact), line, column] */
const parseErrors: [string, string, string, number, number][] = [
  ['stray brace', '{{ .Foo }', 'template: t:1: unexpected "}" in operand', 1, 8],
  ['unclosed action', 'a\n{{ .Foo', 'template: t:2: unclosed action', 2, 7],
  ['unknown function', '{{ nosuch 1 }}', 'template: t:1: function "nosuch" not defined', 1, 3],
  ['undefined variable', '{{ $x }}', 'template: t:1: undefined variable "$x"', 1, 3],
  [
    'variable out of scope',
    '{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}',
    'template: t:1: undefined variable "$x"',
    1,
    38,
  ],
  ['assignment to undeclared', '{{ $x = 1 }}', 'template: t:1: undefined variable "$x"', 1, 3],
  ['missing end', '{{ if . }}x', 'template: t:1: unexpected EOF', 1, 11],
  ['unexpected end', 'x\n\n{{ end }}', 'template: t:3: unexpected {{end}}', 3, 3],
  ['unexpected else', '{{ else }}', 'template: t:1: unexpected {{else}}', 1, 3],
  ['empty if', '{{ if }}{{ end }}', 'template: t:1: missing value for if', 1, 6],
  ['empty action', '{{ }}', 'template: t:1: missing value for command', 1, 3],
  ['break outside range', '{{ break }}', 'template: t:1: {{break}} outside {{range}}', 1, 3],
  [
    'continue outside range',
    '{{ if 1 }}{{ continue }}{{ end }}',
    'template: t:1: {{continue}} outside {{range}}',
    1,
    13,
  ],
  ['unterminated string', '{{ "abc }}', 'template: t:1: unterminated quoted string', 1, 3],
  ['bad escape', '{{ "\\q" }}', 'template: t:1: invalid syntax: "\\q"', 1, 3],
  ['bad number', '{{ 1x2 }}', 'template: t:1: illegal number syntax: "1x2"', 1, 3],
  ['non executable stage', '{{ .A | "x" }}', 'template: t:1: non executable command in pipeline stage 2', 1, 8],
  ['field on a literal', '{{ "a".B }}', 'template: t:1: unexpected . after term "\\"a\\""', 1, 3],
  ['define needs a name', '{{ define x }}{{ end }}', 'template: t:1: unexpected "x" in define clause', 1, 10],
  ['template needs a name', '{{ template x }}', 'template: t:1: unexpected "x" in template clause', 1, 12],
  ['unclosed comment', '{{/* x }}', 'template: t:1: unclosed comment', 1, 0],
  ['too many range variables', '{{ range $a, $b, $c := . }}{{ end }}', 'template: t:1: unexpected "," in range', 1, 15],
  ['unexpected paren', '{{ ) }}', 'template: t:1: unexpected right paren', 1, 3],
  ['unclosed paren', '{{ (1 }}', 'template: t:1: unclosed left paren', 1, 6],
];

describe('parse errors', () => {
  for (const [name, text, message, line, column] of parseErrors) {
    it(name, () => {
      const err = checkTemplate(text, funcs, 't');
      assert.ok(err instanceof TemplateError, `no error for ${text}`);
      assert.equal(err.code, 'TEMPLATE_PARSE');
      assert.equal(err.message, message);
      assert.deepEqual([err.template, err.line, err.column], ['t', line, column]);
    });
  }

  it('TemplateSet.parse throws the same error', () => {
    assert.throws(() => new TemplateSet().parse('x', '{{ .A }'), { name: 'TemplateError', code: 'TEMPLATE_PARSE' });
  });
});

const valid: [string, string][] = [
  [
    'every action kind',
    '{{/* c */}}{{ $x := 1 }}{{ if $x }}{{ else if 2 }}{{ else }}{{ end }}{{ range $i, $e := . }}{{ break }}{{ continue }}{{ else }}{{ end }}{{ with $x }}{{ else with 3 }}{{ end }}{{ define "d" }}{{ end }}{{ template "d" . }}{{ block "b" . }}{{ end }}',
  ],
  ['known function and builtins', '{{ known }} {{ printf "%d" (len .) | print }} {{ and 1 (or 2 3) | not }}'],
  ['assignment to a declared variable', '{{ $x := 1 }}{{ $x = 2 }}'],
  ['multi-line action', '{{ printf\n  "%s"\n  "a" }}'],
  ['root variable in define', '{{ define "x" }}{{ $ }}{{ end }}'],
  ['parenthesised chain', '{{ (index . 0).Name }}'],
];

describe('valid templates', () => {
  for (const [name, text] of valid) {
    it(name, () => assert.equal(checkTemplate(text, funcs), undefined));
  }
});
