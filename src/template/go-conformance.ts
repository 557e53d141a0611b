/**
 * Templates and the output Go's text/template gives for them (checked with Alertmanager 0.25's amtool, which
 * runs Go's engine with Alertmanager's functions): data for the printf, builtin and execution tests, which also
 * re-check the expectations against amtool when it is installed.
 */
export const goConformance: ReadonlyArray<readonly [name: string, template: string, output: string]> = [
  [
    'printf strings',
    '{{ printf "%s|%q|%v|%x|%X|%5s|%-5s|%.2s|%05s" "abc" "a\\"b\\n\\x01é" "v" "hi" "hi" "ab" "ab" "abc" "ab" }}',
    'abc|"a\\"b\\n\\x01é"|v|6869|6869|   ab|ab   |ab|000ab',
  ],
  [
    'printf ints',
    '{{ printf "%d|%+d|%05d|%-5d|%x|%X|%#x|%o|%#o|%b|%c|%q|%U|% d|%.3d|%8.3d" 42 5 -42 42 255 255 255 8 8 5 65 65 128512 7 7 7 }}',
    "42|+5|-0042|42   |ff|FF|0xff|10|010|101|A|'A'|U+1F600| 7|007|     007",
  ],
  [
    'printf floats',
    '{{ printf "%f|%.2f|%5.1f|%-8.2f|%08.3f|%+.1f|%e|%E|%.2e|%g|%G|%.3g|%g|%g|%v|%.0f|%.1f|%10.4g|" 3.14159 3.14159 3.14159 2.5 -3.14159 2.0 1234.5678 1234.5678 0.000123 1234.5678 1e21 1234.5678 0.0001 0.00001 1.0 2.5 0.25 123456.0 }}',
    '3.141590|3.14|  3.1|2.50    |-003.142|+2.0|1.234568e+03|1.234568E+03|1.23e-04|1234.5678|1E+21|1.23e+03|0.0001|1e-05|1|2|0.2| 1.235e+05|',
  ],
  ['printf bools', '{{ printf "%t|%v|%5t|%d" true false true true }}', 'true|false| true|%!d(bool=true)'],
  [
    'printf mismatches',
    '{{ printf "%d %s" 1 }}|{{ printf "%d" 1 2 "x" }}|{{ printf "%s" 1 }}|{{ printf "%d" "abc" }}|{{ printf "%d" 1.5 }}|{{ printf "%z" 1 }}|{{ printf "%!" }}|{{ printf "100%%" }}|{{ printf "%" }}',
    '1 %!s(MISSING)|1%!(EXTRA int=2, string=x)|%!s(int=1)|%!d(string=abc)|%!d(float64=1.5)|%!z(int=1)|%!!(MISSING)|100%|%!(NOVERB)',
  ],
  [
    'printf lists',
    '{{ printf "%v|%d|%s|%q" (stringSlice "a" "b") (len "abc") (stringSlice "x" "y") (stringSlice "x" "y") }}',
    '[a b]|3|[x y]|["x" "y"]',
  ],
  [
    'printf %v of literals',
    '{{ printf "%v %v %v %v %v %v" nil 1e6 100000.0 0.5 -0.0 1e-5 }}',
    '<nil> 1e+06 100000 0.5 -0 1e-05',
  ],
  ['printf padding', '{{ printf "%6.2f|%-6.2f|%+06.1f|%x" 1.0 1.0 1.0 "é" }}', '  1.00|1.00  |+001.0|c3a9'],
  ['printf star width', '{{ printf "%*d|%-*d|%.*f" 5 42 5 42 2 3.14159 }}', '   42|42   |3.14'],
  ['printf argument index', '{{ printf "%[2]d %[1]d" 1 2 }}', '2 1'],
  [
    'print and println',
    '{{ print 1 2 "a" "b" 3 true false }}|{{ println 1 "a" 2 }}|{{ print }}|{{ print nil }}',
    '1 2ab3 true false|1 a 2\n||<nil>',
  ],
  [
    'escapers',
    '{{ html "<a href=\'x\'>&\\"</a>" }}|{{ js "a\'b\\"c<d>e&f=g\\\\h\\n" }}|{{ urlquery "a b&c=d/é~" }}|{{ html 1 2 }}|{{ urlquery "a" 1 }}',
    '&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;|a\\\'b\\"c\\u003Cd\\u003Ee\\u0026f\\u003Dg\\\\h\\u000A|a+b%26c%3Dd%2F%C3%A9~|1 2|a1',
  ],
  [
    'len index slice',
    '{{ len "héllo" }}|{{ index "abc" 1 }}|{{ slice "abcdef" 1 3 }}|{{ slice (stringSlice "a" "b" "c") 1 }}|{{ index (stringSlice "a" "b") 1 }}',
    '6|98|bc|[b c]|b',
  ],
  [
    'comparisons',
    '{{ eq 1 1 }}|{{ eq 1 2 3 1 }}|{{ ne "a" "b" }}|{{ lt 1 2 }}|{{ le 2 2 }}|{{ gt "b" "a" }}|{{ ge 1.5 2.5 }}|{{ eq true true }}',
    'true|true|true|true|true|true|false|true',
  ],
  [
    'and or not',
    '{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 "" }}|{{ or 0 "x" 1 }}|{{ not "" }}|{{ not 1 }}',
    '0|2||x|true|false',
  ],
  ['trim markers', 'a  {{- "b" -}}  c {{- /* x */ -}} d\n{{- 1 }}\n', 'abcd1\n'],
  [
    'variables and scopes',
    '{{ $x := 1 }}{{ range stringSlice "a" "b" }}{{ $x = . }}{{ $y := 2 }}{{ end }}{{ $x }}{{ with $z := "z" }}{{ $z }}{{ end }}',
    'bz',
  ],
  [
    'range with index',
    '{{ range $i, $e := stringSlice "a" "b" }}{{ $i }}{{ $e }}{{ end }}{{ range $i, $e := stringSlice }}x{{ else }}none{{ end }}',
    '0a1bnone',
  ],
  [
    'break and continue',
    '{{ range $i, $e := stringSlice "a" "b" "c" "d" }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $e }}{{ end }}',
    'ac',
  ],
  [
    'if else chains',
    '{{ if eq 1 2 }}a{{ else if eq 1 1 }}b{{ else }}c{{ end }}{{ with "" }}x{{ else }}w{{ end }}',
    'bw',
  ],
  [
    'define template block',
    '{{ define "T" }}<{{ . }}>{{ end }}{{ template "T" "x" }}{{ block "B" "y" }}[{{ . }}]{{ end }}{{ template "T" "z" }}',
    '<x>[y]<z>',
  ],
  [
    'literals',
    '{{ 0x1F }} {{ 017 }} {{ 0o17 }} {{ 1_000 }} {{ \'a\' }} {{ 1e3 }} {{ -2.5 }} {{ `raw\\n` }} {{ "\\u00e9\\t|" }}',
    '31 15 15 1000 97 1000 -2.5 raw\\n é\t|',
  ],
  [
    'alertmanager functions',
    '{{ title "hello wORLD don\'t 3rd foo_bar x-y" }}|{{ toUpper "aß" }}|{{ join "," (stringSlice "a" "b") }}|{{ match "^a" "abc" }}|{{ reReplaceAll "(a)" "[$1]" "abac" }}|{{ safeHtml "<b>" }}',
    "Hello World Don't 3Rd Foo_bar X-Y|Aß|a,b|true|[a]b[a]c|<b>",
  ],
];
