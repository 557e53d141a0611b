// Cases from upstream's promql/parser/parse_test.go (the version of 2025/26 with duration expressions, anchored
// and smoothed), as data: an input and either its tree (dumpExpr with positions) or its problems as
// [message, start byte, end byte]. Each case parses with every feature gate on, as upstream's test enables
// experimental functions and duration expressions; `options: 'none'` parses with upstream's defaults (all off).
// Cases marked `source: 'derived'` are not in upstream's table: they exercise current upstream's grammar (fill
// modifiers, trim operators, min_of/max_of, feature gates) with the messages of upstream's parse.go.

/** One parser case. */
export interface ParseCase {
  readonly input: string;
  /** The tree `dumpExpr` prints for the parsed query. */
  readonly tree?: string;
  /** The problems, in order: [message, start, end]; the first makes `ParseError.message`. */
  readonly errors?: ReadonlyArray<readonly [string, number, number]>;
  /** `none`: upstream's default options (every feature gate off). */
  readonly options?: 'none';
  readonly source?: 'derived';
  /** Why the case differs from upstream's table, when it does. */
  readonly note?: string;
}

export const parseCases: readonly ParseCase[] = [
  // Literals, operators and their precedence, selectors, matchers, ranges, aggregations, calls, subqueries.
  { input: '1', tree: 'num(1)@0:1' },
  { input: '+Inf', tree: 'num(+Inf)@0:4' },
  { input: '-Inf', tree: 'num(-Inf)@0:4' },
  { input: '.5', tree: 'num(0.5)@0:2' },
  { input: '5.', tree: 'num(5)@0:2' },
  { input: '123.4567', tree: 'num(123.4567)@0:8' },
  { input: '5e-3', tree: 'num(0.005)@0:4' },
  { input: '5e3', tree: 'num(5000)@0:3' },
  { input: '0xc', tree: 'num(12)@0:3' },
  { input: '0755', tree: 'num(493)@0:4' },
  { input: '+5.5e-3', tree: 'num(0.0055)@0:7' },
  { input: '-0755', tree: 'num(-493)@0:5' },
  { input: '1 + 1', tree: 'bin(+ num(1)@0:1 num(1)@4:5)@0:5' },
  { input: '1 - 1', tree: 'bin(- num(1)@0:1 num(1)@4:5)@0:5' },
  { input: '1 * 1', tree: 'bin(* num(1)@0:1 num(1)@4:5)@0:5' },
  { input: '1 % 1', tree: 'bin(% num(1)@0:1 num(1)@4:5)@0:5' },
  { input: '1 / 1', tree: 'bin(/ num(1)@0:1 num(1)@4:5)@0:5' },
  { input: '1 == bool 1', tree: 'bin(== bool num(1)@0:1 num(1)@10:11)@0:11' },
  { input: '1 != bool 1', tree: 'bin(!= bool num(1)@0:1 num(1)@10:11)@0:11' },
  { input: '1 > bool 1', tree: 'bin(> bool num(1)@0:1 num(1)@9:10)@0:10' },
  { input: '1 >= bool 1', tree: 'bin(>= bool num(1)@0:1 num(1)@10:11)@0:11' },
  { input: '1 < bool 1', tree: 'bin(< bool num(1)@0:1 num(1)@9:10)@0:10' },
  { input: '1 <= bool 1', tree: 'bin(<= bool num(1)@0:1 num(1)@10:11)@0:11' },
  { input: '-1^2', tree: 'unary(- bin(^ num(1)@1:2 num(2)@3:4)@1:4)@0:4' },
  { input: '-1*2', tree: 'bin(* num(-1)@0:2 num(2)@3:4)@0:4' },
  { input: '-1+2', tree: 'bin(+ num(-1)@0:2 num(2)@3:4)@0:4' },
  { input: '-1^-2', tree: 'unary(- bin(^ num(1)@1:2 num(-2)@3:5)@1:5)@0:5' },
  { input: '+1 + -2 * 1', tree: 'bin(+ num(1)@0:2 bin(* num(-2)@5:7 num(1)@10:11)@5:11)@0:11' },
  {
    input: '1 + 2/(3*1)',
    tree: 'bin(+ num(1)@0:1 bin(/ num(2)@4:5 paren(bin(* num(3)@7:8 num(1)@9:10)@7:10)@6:11)@4:11)@0:11',
  },
  {
    input: '1 < bool 2 - 1 * 2',
    tree: 'bin(< bool num(1)@0:1 bin(- num(2)@9:10 bin(* num(1)@13:14 num(2)@17:18)@13:18)@9:18)@0:18',
  },
  { input: '-some_metric', tree: 'unary(- vs(some_metric {__name__="some_metric"})@1:12)@0:12' },
  { input: '+some_metric', tree: 'unary(+ vs(some_metric {__name__="some_metric"})@1:12)@0:12' },
  { input: ' +some_metric', tree: 'unary(+ vs(some_metric {__name__="some_metric"})@2:13)@1:13' },
  { input: ' +{"some_metric"}', tree: 'unary(+ vs({__name__="some_metric"})@2:17)@1:17' },
  { input: 'offset{step="1s"}[5m]', tree: 'matrix(vs(offset {step="1s",__name__="offset"})@0:17 range=300000)@0:21' },
  { input: 'step{offset="1s"}[5m]', tree: 'matrix(vs(step {offset="1s",__name__="step"})@0:17 range=300000)@0:21' },
  { input: 'anchored{job="test"}', tree: 'vs(anchored {job="test",__name__="anchored"})@0:20' },
  { input: 'smoothed{job="test"}', tree: 'vs(smoothed {job="test",__name__="smoothed"})@0:20' },
  {
    input: 'foo * bar',
    tree: 'bin(* match(one-to-one) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@6:9)@0:9',
  },
  {
    input: 'foo * sum',
    tree: 'bin(* match(one-to-one) vs(foo {__name__="foo"})@0:3 vs(sum {__name__="sum"})@6:9)@0:9',
  },
  { input: 'foo == 1', tree: 'bin(== vs(foo {__name__="foo"})@0:3 num(1)@7:8)@0:8' },
  { input: 'foo == bool 1', tree: 'bin(== bool vs(foo {__name__="foo"})@0:3 num(1)@12:13)@0:13' },
  { input: '2.5 / bar', tree: 'bin(/ num(2.5)@0:3 vs(bar {__name__="bar"})@6:9)@0:9' },
  {
    input: 'foo and bar',
    tree: 'bin(and match(many-to-many) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@8:11)@0:11',
  },
  {
    input: 'foo or bar',
    tree: 'bin(or match(many-to-many) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@7:10)@0:10',
  },
  {
    input: 'foo unless bar',
    tree: 'bin(unless match(many-to-many) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@11:14)@0:14',
  },
  {
    input: 'foo + bar or bla and blub',
    tree: 'bin(or match(many-to-many) bin(+ match(one-to-one) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@6:9)@0:9 bin(and match(many-to-many) vs(bla {__name__="bla"})@13:16 vs(blub {__name__="blub"})@21:25)@13:25)@0:25',
  },
  {
    input: 'foo and bar unless baz or qux',
    tree: 'bin(or match(many-to-many) bin(unless match(many-to-many) bin(and match(many-to-many) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@8:11)@0:11 vs(baz {__name__="baz"})@19:22)@0:22 vs(qux {__name__="qux"})@26:29)@0:29',
  },
  {
    input: 'bar + on(foo) bla / on(baz, buz) group_right(test) blub',
    tree: 'bin(+ match(one-to-one on(foo)) vs(bar {__name__="bar"})@0:3 bin(/ match(one-to-many on(baz,buz) include(test)) vs(bla {__name__="bla"})@14:17 vs(blub {__name__="blub"})@51:55)@14:55)@0:55',
  },
  {
    input: 'foo * on(test,blub) bar',
    tree: 'bin(* match(one-to-one on(test,blub)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@20:23)@0:23',
  },
  {
    input: 'foo * on(test,blub) group_left bar',
    tree: 'bin(* match(many-to-one on(test,blub)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@31:34)@0:34',
  },
  {
    input: 'foo and on(test,blub) bar',
    tree: 'bin(and match(many-to-many on(test,blub)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@22:25)@0:25',
  },
  {
    input: 'foo and on() bar',
    tree: 'bin(and match(many-to-many on()) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@13:16)@0:16',
  },
  {
    input: 'foo and ignoring(test,blub) bar',
    tree: 'bin(and match(many-to-many ignoring(test,blub)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@28:31)@0:31',
  },
  {
    input: 'foo and ignoring() bar',
    tree: 'bin(and match(many-to-many) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@19:22)@0:22',
  },
  {
    input: 'foo unless on(bar) baz',
    tree: 'bin(unless match(many-to-many on(bar)) vs(foo {__name__="foo"})@0:3 vs(baz {__name__="baz"})@19:22)@0:22',
  },
  {
    input: 'foo / on(test,blub) group_left(bar) bar',
    tree: 'bin(/ match(many-to-one on(test,blub) include(bar)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@36:39)@0:39',
  },
  {
    input: 'foo / ignoring(test,blub) group_left(blub) bar',
    tree: 'bin(/ match(many-to-one ignoring(test,blub) include(blub)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@43:46)@0:46',
  },
  {
    input: 'foo - on(test,blub) group_right(bar,foo) bar',
    tree: 'bin(- match(one-to-many on(test,blub) include(bar,foo)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@41:44)@0:44',
  },
  {
    input: 'foo - ignoring(test,blub) group_right(bar,foo) bar',
    tree: 'bin(- match(one-to-many ignoring(test,blub) include(bar,foo)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@47:50)@0:50',
  },
  { input: 'foo', tree: 'vs(foo {__name__="foo"})@0:3' },
  { input: 'min', tree: 'vs(min {__name__="min"})@0:3' },
  { input: 'foo offset 5m', tree: 'vs(foo {__name__="foo"} offset=300000)@0:13' },
  { input: 'foo offset -7m', tree: 'vs(foo {__name__="foo"} offset=-420000)@0:14' },
  { input: 'foo OFFSET 1h30m', tree: 'vs(foo {__name__="foo"} offset=5400000)@0:16' },
  { input: 'foo OFFSET 1m30ms', tree: 'vs(foo {__name__="foo"} offset=60030)@0:17' },
  { input: 'foo @ 1603774568', tree: 'vs(foo {__name__="foo"} at=1603774568000)@0:16' },
  { input: 'foo @ -100', tree: 'vs(foo {__name__="foo"} at=-100000)@0:10' },
  { input: 'foo @ .3', tree: 'vs(foo {__name__="foo"} at=300)@0:8' },
  { input: 'foo @ 3.', tree: 'vs(foo {__name__="foo"} at=3000)@0:8' },
  { input: 'foo @ 3.33', tree: 'vs(foo {__name__="foo"} at=3330)@0:10' },
  { input: 'foo @ 3.3333', tree: 'vs(foo {__name__="foo"} at=3333)@0:12' },
  { input: 'foo @ 3.3335', tree: 'vs(foo {__name__="foo"} at=3334)@0:12' },
  { input: 'foo @ 3e2', tree: 'vs(foo {__name__="foo"} at=300000)@0:9' },
  { input: 'foo @ 3e-1', tree: 'vs(foo {__name__="foo"} at=300)@0:10' },
  { input: 'foo @ 0xA', tree: 'vs(foo {__name__="foo"} at=10000)@0:9' },
  { input: 'foo @ -3.3e1', tree: 'vs(foo {__name__="foo"} at=-33000)@0:12' },
  { input: 'foo:bar{a="bc"}', tree: 'vs(foo:bar {a="bc",__name__="foo:bar"})@0:15' },
  { input: '{"foo"}', tree: 'vs({__name__="foo"})@0:7' },
  {
    input: `{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}`,
    tree: `vs({__name__="foo'bar","a\\\\dos\\\\path"="boo\\\\urns"})@0:40`,
  },
  { input: '{"foo", a="bc"}', tree: 'vs({__name__="foo",a="bc"})@0:15' },
  { input: `foo{NaN='bc'}`, tree: 'vs(foo {NaN="bc",__name__="foo"})@0:13' },
  { input: `foo{bar='}'}`, tree: 'vs(foo {bar="}",__name__="foo"})@0:12' },
  {
    input: 'foo{a="b", foo!="bar", test=~"test", bar!~"baz"}',
    tree: 'vs(foo {a="b",foo!="bar",test=~"test",bar!~"baz",__name__="foo"})@0:48',
  },
  {
    input: '{a="b", foo!="bar", "foo", test=~"test", bar!~"baz"}',
    tree: 'vs({a="b",foo!="bar",__name__="foo",test=~"test",bar!~"baz"})@0:52',
  },
  {
    input: 'foo{a="b", foo!="bar", test=~"test", bar!~"baz",}',
    tree: 'vs(foo {a="b",foo!="bar",test=~"test",bar!~"baz",__name__="foo"})@0:49',
  },
  { input: '{__name__=~"bar", __name__!~"baz"}', tree: 'vs({__name__=~"bar",__name__!~"baz"})@0:34' },
  { input: '{__name__="bar", __name__="baz"}', tree: 'vs({__name__="bar",__name__="baz"})@0:32' },
  { input: '{"bar", __name__="baz"}', tree: 'vs({__name__="bar",__name__="baz"})@0:23' },
  { input: 'test[1000ms]', tree: 'matrix(vs(test {__name__="test"})@0:4 range=1000)@0:12' },
  { input: 'test[1001ms]', tree: 'matrix(vs(test {__name__="test"})@0:4 range=1001)@0:12' },
  { input: 'test[5s]', tree: 'matrix(vs(test {__name__="test"})@0:4 range=5000)@0:8' },
  { input: 'test[5m]', tree: 'matrix(vs(test {__name__="test"})@0:4 range=300000)@0:8' },
  { input: 'foo[5m30s]', tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=330000)@0:10' },
  { input: 'test[5h] OFFSET 5m', tree: 'matrix(vs(test {__name__="test"} offset=300000)@0:4 range=18000000)@0:18' },
  { input: 'test[5d] OFFSET 10s', tree: 'matrix(vs(test {__name__="test"} offset=10000)@0:4 range=432000000)@0:19' },
  {
    input: 'test[5w] offset 2w',
    tree: 'matrix(vs(test {__name__="test"} offset=1209600000)@0:4 range=3024000000)@0:18',
  },
  {
    input: 'test{a="b"}[5y] OFFSET 3d',
    tree: 'matrix(vs(test {a="b",__name__="test"} offset=259200000)@0:11 range=157680000000)@0:25',
  },
  {
    input: 'test{a="b"}[5m] OFFSET 3600',
    tree: 'matrix(vs(test {a="b",__name__="test"} offset=3600000)@0:11 range=300000)@0:27',
  },
  { input: 'foo[3ms] @ 2.345', tree: 'matrix(vs(foo {__name__="foo"} at=2345)@0:3 range=3)@0:16' },
  { input: 'foo[4s180ms] @ 2.345', tree: 'matrix(vs(foo {__name__="foo"} at=2345)@0:3 range=4180)@0:20' },
  { input: 'foo[4.18] @ 2.345', tree: 'matrix(vs(foo {__name__="foo"} at=2345)@0:3 range=4180)@0:17' },
  { input: 'foo[4s18ms] @ 2.345', tree: 'matrix(vs(foo {__name__="foo"} at=2345)@0:3 range=4018)@0:19' },
  { input: 'foo[4.018] @ 2.345', tree: 'matrix(vs(foo {__name__="foo"} at=2345)@0:3 range=4018)@0:18' },
  {
    input: 'test{a="b"}[5y] @ 1603774699',
    tree: 'matrix(vs(test {a="b",__name__="test"} at=1603774699000)@0:11 range=157680000000)@0:28',
  },
  { input: 'test[5]', tree: 'matrix(vs(test {__name__="test"})@0:4 range=5000)@0:7' },
  {
    input: 'some_metric[5m] @ 1m',
    tree: 'matrix(vs(some_metric {__name__="some_metric"} at=60000)@0:11 range=300000)@0:20',
  },
  { input: 'sum by (foo)(some_metric)', tree: 'agg(sum by(foo) vs(some_metric {__name__="some_metric"})@13:24)@0:25' },
  {
    input: 'sum by (anchored)(some_metric)',
    tree: 'agg(sum by(anchored) vs(some_metric {__name__="some_metric"})@18:29)@0:30',
  },
  {
    input: 'sum by ("foo bar")({"some.metric"})',
    tree: 'agg(sum by(foo bar) vs({__name__="some.metric"})@19:34)@0:35',
  },
  {
    input: `sum by ("foo", bar, 'baz')({"some.metric"})`,
    tree: 'agg(sum by(foo,bar,baz) vs({__name__="some.metric"})@27:42)@0:43',
  },
  { input: 'avg by (foo)(some_metric)', tree: 'agg(avg by(foo) vs(some_metric {__name__="some_metric"})@13:24)@0:25' },
  { input: 'max by (foo)(some_metric)', tree: 'agg(max by(foo) vs(some_metric {__name__="some_metric"})@13:24)@0:25' },
  {
    input: 'sum without (foo) (some_metric)',
    tree: 'agg(sum without(foo) vs(some_metric {__name__="some_metric"})@19:30)@0:31',
  },
  {
    input: 'sum (some_metric) without (foo)',
    tree: 'agg(sum without(foo) vs(some_metric {__name__="some_metric"})@5:16)@0:31',
  },
  { input: 'stddev(some_metric)', tree: 'agg(stddev vs(some_metric {__name__="some_metric"})@7:18)@0:19' },
  {
    input: 'stdvar by (foo)(some_metric)',
    tree: 'agg(stdvar by(foo) vs(some_metric {__name__="some_metric"})@16:27)@0:28',
  },
  { input: 'sum by ()(some_metric)', tree: 'agg(sum vs(some_metric {__name__="some_metric"})@10:21)@0:22' },
  {
    input: 'sum by (foo,bar,)(some_metric)',
    tree: 'agg(sum by(foo,bar) vs(some_metric {__name__="some_metric"})@18:29)@0:30',
  },
  { input: 'sum by (foo,)(some_metric)', tree: 'agg(sum by(foo) vs(some_metric {__name__="some_metric"})@14:25)@0:26' },
  {
    input: 'topk(5, some_metric)',
    tree: 'agg(topk param=num(5)@5:6 vs(some_metric {__name__="some_metric"})@8:19)@0:20',
  },
  {
    input: 'count_values("value", some_metric)',
    tree: 'agg(count_values param=str("value")@13:20 vs(some_metric {__name__="some_metric"})@22:33)@0:34',
  },
  {
    input: 'sum without(and, by, avg, count, alert, annotations)(some_metric)',
    tree: 'agg(sum without(and,by,avg,count,alert,annotations) vs(some_metric {__name__="some_metric"})@53:64)@0:65',
  },
  { input: 'time()', tree: 'call(time)@0:6' },
  {
    input: 'floor(some_metric{foo!="bar"})',
    tree: 'call(floor vs(some_metric {foo!="bar",__name__="some_metric"})@6:29)@0:30',
  },
  {
    input: 'rate(some_metric[5m])',
    tree: 'call(rate matrix(vs(some_metric {__name__="some_metric"})@5:16 range=300000)@5:20)@0:21',
  },
  { input: 'round(some_metric)', tree: 'call(round vs(some_metric {__name__="some_metric"})@6:17)@0:18' },
  {
    input: 'round(some_metric, 5)',
    tree: 'call(round vs(some_metric {__name__="some_metric"})@6:17 num(5)@19:20)@0:21',
  },
  { input: 'sum(sum)', tree: 'agg(sum vs(sum {__name__="sum"})@4:7)@0:8' },
  { input: 'a + sum', tree: 'bin(+ match(one-to-one) vs(a {__name__="a"})@0:1 vs(sum {__name__="sum"})@4:7)@0:7' },
  {
    input: '"double-quoted string \\" with escaped quote"',
    tree: 'str("double-quoted string \\" with escaped quote")@0:44',
  },
  {
    input: `'single-quoted string \\' with escaped quote'`,
    tree: `str("single-quoted string ' with escaped quote")@0:44`,
  },
  { input: '`backtick-quoted string`', tree: 'str("backtick-quoted string")@0:24' },
  {
    input: '"\\a\\b\\f\\n\\r\\t\\v\\\\\\" - \\xFF\\377\\u1234\\U00010111\\U0001011111☺"',
    tree: 'str("\\a\\b\\f\\n\\r\\t\\v\\\\\\" - \\xff\\xffሴ𐄑𐄑11☺")@0:62',
  },
  {
    input: 'foo{bar="baz"}[10m:6s]',
    tree: 'subquery(vs(foo {bar="baz",__name__="foo"})@0:14 range=600000 step=6000)@0:22',
  },
  {
    input: 'foo{bar="baz"}[10m5s:1h6ms]',
    tree: 'subquery(vs(foo {bar="baz",__name__="foo"})@0:14 range=605000 step=3600006)@0:27',
  },
  { input: 'foo[10m:]', tree: 'subquery(vs(foo {__name__="foo"})@0:3 range=600000)@0:9' },
  {
    input: 'min_over_time(rate(foo{bar="baz"}[2s])[5m:5s])',
    tree: 'call(min_over_time subquery(call(rate matrix(vs(foo {bar="baz",__name__="foo"})@19:33 range=2000)@19:37)@14:38 range=300000 step=5000)@14:45)@0:46',
  },
  {
    input: 'min_over_time(rate(foo{bar="baz"}[2s])[5m:])[4m:3s]',
    tree: 'subquery(call(min_over_time subquery(call(rate matrix(vs(foo {bar="baz",__name__="foo"})@19:33 range=2000)@19:37)@14:38 range=300000)@14:43)@0:44 range=240000 step=3000)@0:51',
  },
  {
    input: 'min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]',
    tree: 'subquery(call(min_over_time subquery(call(rate matrix(vs(foo {bar="baz",__name__="foo"})@19:33 range=2000)@19:37)@14:38 range=300000 offset=240000)@14:53)@0:54 range=240000 step=3000)@0:61',
  },
  {
    input: 'min_over_time(rate(foo{bar="baz"}[2s])[5m:] @ 1603775091)[4m:3s]',
    tree: 'subquery(call(min_over_time subquery(call(rate matrix(vs(foo {bar="baz",__name__="foo"})@19:33 range=2000)@19:37)@14:38 range=300000 at=1603775091000)@14:56)@0:57 range=240000 step=3000)@0:64',
  },
  {
    input: 'min_over_time(rate(foo{bar="baz"}[2s])[5m:] @ -160377509)[4m:3s]',
    tree: 'subquery(call(min_over_time subquery(call(rate matrix(vs(foo {bar="baz",__name__="foo"})@19:33 range=2000)@19:37)@14:38 range=300000 at=-160377509000)@14:56)@0:57 range=240000 step=3000)@0:64',
  },
  {
    input: 'sum without(and, by, avg, count, alert, annotations)(some_metric) [30m:10s]',
    tree: 'subquery(agg(sum without(and,by,avg,count,alert,annotations) vs(some_metric {__name__="some_metric"})@53:64)@0:65 range=1800000 step=10000)@0:75',
  },
  {
    input: 'some_metric OFFSET 1m [10m:5s]',
    tree: 'subquery(vs(some_metric {__name__="some_metric"} offset=60000)@0:21 range=600000 step=5000)@0:30',
  },
  {
    input: 'some_metric @ 123 [10m:5s]',
    tree: 'subquery(vs(some_metric {__name__="some_metric"} at=123000)@0:17 range=600000 step=5000)@0:26',
  },
  {
    input: 'some_metric @ 123 offset 1m [10m:5s]',
    tree: 'subquery(vs(some_metric {__name__="some_metric"} offset=60000 at=123000)@0:27 range=600000 step=5000)@0:36',
  },
  {
    input: 'some_metric offset 1m @ 123 [10m:5s]',
    tree: 'subquery(vs(some_metric {__name__="some_metric"} offset=60000 at=123000)@0:27 range=600000 step=5000)@0:36',
  },
  {
    input: 'some_metric[10m:5s] offset 1m @ 123',
    tree: 'subquery(vs(some_metric {__name__="some_metric"})@0:11 range=600000 step=5000 offset=60000 at=123000)@0:35',
  },
  {
    input: '(foo + bar{nm="val"})[5m:]',
    tree: 'subquery(paren(bin(+ match(one-to-one) vs(foo {__name__="foo"})@1:4 vs(bar {nm="val",__name__="bar"})@7:20)@1:20)@0:21 range=300000)@0:26',
  },
  {
    input: '(foo + bar{nm="val"})[5m:] offset 10m',
    tree: 'subquery(paren(bin(+ match(one-to-one) vs(foo {__name__="foo"})@1:4 vs(bar {nm="val",__name__="bar"})@7:20)@1:20)@0:21 range=300000 offset=600000)@0:37',
  },
  {
    input: '(foo + bar{nm="val"} @ 1234)[5m:] @ 1603775019',
    tree: 'subquery(paren(bin(+ match(one-to-one) vs(foo {__name__="foo"})@1:4 vs(bar {nm="val",__name__="bar"} at=1234000)@7:27)@1:27)@0:28 range=300000 at=1603775019000)@0:46',
  },
  { input: 'foo @ start()', tree: 'vs(foo {__name__="foo"} at=start())@0:13' },
  { input: 'foo @ end()', tree: 'vs(foo {__name__="foo"} at=end())@0:11' },
  { input: 'test[5y] @ start()', tree: 'matrix(vs(test {__name__="test"} at=start())@0:4 range=157680000000)@0:18' },
  { input: 'test[5y] @ end()', tree: 'matrix(vs(test {__name__="test"} at=end())@0:4 range=157680000000)@0:16' },
  {
    input: 'foo[10m:6s] @ start()',
    tree: 'subquery(vs(foo {__name__="foo"})@0:3 range=600000 step=6000 at=start())@0:21',
  },
  { input: 'foo[10m:6s] @ end()', tree: 'subquery(vs(foo {__name__="foo"})@0:3 range=600000 step=6000 at=end())@0:19' },
  { input: 'start', tree: 'vs(start {__name__="start"})@0:5' },
  { input: 'end', tree: 'vs(end {__name__="end"})@0:3' },
  { input: 'start{end="foo"}', tree: 'vs(start {end="foo",__name__="start"})@0:16' },
  { input: 'end{start="foo"}', tree: 'vs(end {start="foo",__name__="end"})@0:16' },
  {
    input: 'foo unless on(start) bar',
    tree: 'bin(unless match(many-to-many on(start)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@21:24)@0:24',
  },
  {
    input: 'foo unless on(end) bar',
    tree: 'bin(unless match(many-to-many on(end)) vs(foo {__name__="foo"})@0:3 vs(bar {__name__="bar"})@19:22)@0:22',
  },
  {
    input: 'info(rate(http_request_counter_total{}[5m]))',
    tree: 'call(info call(rate matrix(vs(http_request_counter_total {__name__="http_request_counter_total"})@10:38 range=300000)@10:42)@5:43)@0:44',
  },
  {
    input: 'info(http_request_counter_total{namespace="zzz"}, {foo="bar", bar="baz"})',
    tree: 'call(info vs(http_request_counter_total {namespace="zzz",__name__="http_request_counter_total"})@5:48 vs({foo="bar",bar="baz"} bypass)@50:72)@0:73',
  },
  {
    input: 'foo[11s+10s-5*2^2]',
    tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(- dexpr(+ dur(11)@4:7 dur(10)@8:11)@4:11 dexpr(* num(5)@12:13 dexpr(^ num(2)@14:15 num(2)@16:17)@14:17)@12:17)@4:17)@0:18',
  },
  {
    input: 'foo[-(10s-5s)+20s]',
    tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(+ dexpr(- dexpr(- dur(10)@6:9 dur(5)@10:12 wrapped)@6:12)@4:12 dur(20)@14:17)@4:17)@0:18',
  },
  {
    input: 'foo[-10s+15s]',
    tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(+ dur(-10)@4:8 dur(15)@9:12)@4:12)@0:13',
  },
  { input: 'foo[step()]', tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(step)@4:10)@0:11' },
  {
    input: 'foo[  -  step  (  )  ]',
    tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(- dexpr(step)@9:19)@6:19)@0:22',
  },
  { input: 'foo[   step  (  )  ]', tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(step)@7:17)@0:20' },
  { input: 'foo[-step()]', tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(- dexpr(step)@5:11)@4:11)@0:12' },
  { input: 'foo offset step()', tree: 'vs(foo {__name__="foo"} offset=dexpr(step)@11:17)@0:17' },
  { input: 'foo offset -step()', tree: 'vs(foo {__name__="foo"} offset=dexpr(- dexpr(step)@12:18)@11:18)@0:18' },
  { input: 'foo[range()]', tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(range)@4:11)@0:12' },
  { input: 'foo[-range()]', tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(- dexpr(range)@5:12)@4:12)@0:13' },
  { input: 'foo offset range()', tree: 'vs(foo {__name__="foo"} offset=dexpr(range)@11:18)@0:18' },
  { input: 'foo offset -range()', tree: 'vs(foo {__name__="foo"} offset=dexpr(- dexpr(range)@12:19)@11:19)@0:19' },
  {
    input: 'foo[4s+4s:1s*2] offset (5s-8)',
    tree: 'subquery(vs(foo {__name__="foo"})@0:3 range=dexpr(+ dur(4)@4:6 dur(4)@7:9)@4:9 step=dexpr(* dur(1)@10:12 num(2)@13:14)@10:14 offset=dexpr(- dur(5)@24:26 num(8)@27:28 wrapped)@24:28)@0:29',
  },
  { input: 'foo offset 5s-8', tree: 'bin(- vs(foo {__name__="foo"} offset=5000)@0:13 num(8)@14:15)@0:15' },
  {
    input: 'rate(foo[2m+2m])',
    tree: 'call(rate matrix(vs(foo {__name__="foo"})@5:8 range=dexpr(+ dur(120)@9:11 dur(120)@12:14)@9:14)@5:15)@0:16',
  },
  { input: 'foo offset -1^1', tree: 'bin(^ vs(foo {__name__="foo"} offset=-1000)@0:13 num(1)@14:15)@0:15' },
  {
    input: 'foo offset -(1^2)',
    tree: 'vs(foo {__name__="foo"} offset=dexpr(- dexpr(^ num(1)@13:14 num(2)@15:16 wrapped)@13:16)@11:16)@0:17',
  },
  {
    input: 'foo offset (-1^2)',
    tree: 'vs(foo {__name__="foo"} offset=dexpr(- dexpr(^ num(1)@13:14 num(2)@15:16)@13:16 wrapped)@12:16)@0:17',
  },
  {
    input: 'foo[-2^2]',
    tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(- dexpr(^ num(2)@5:6 num(2)@7:8)@5:8)@4:8)@0:9',
  },
  {
    input: 'foo[0+-2^2]',
    tree: 'matrix(vs(foo {__name__="foo"})@0:3 range=dexpr(+ num(0)@4:5 dexpr(- dexpr(^ num(2)@7:8 num(2)@9:10)@7:10)@6:10)@4:10)@0:11',
  },
  { input: '(sum(foo))', tree: 'paren(agg(sum vs(foo {__name__="foo"})@5:8)@1:9)@0:10' },
  { input: '(sum(foo) )', tree: 'paren(agg(sum vs(foo {__name__="foo"})@5:8)@1:9)@0:11' },
  { input: '(sum(foo) by (bar))', tree: 'paren(agg(sum by(bar) vs(foo {__name__="foo"})@5:8)@1:18)@0:19' },
  { input: '(sum by (bar) (foo))', tree: 'paren(agg(sum by(bar) vs(foo {__name__="foo"})@15:18)@1:19)@0:20' },
  {
    input: 'sum by (job)(rate(http_requests_total[30m]))',
    tree: 'agg(sum by(job) call(rate matrix(vs(http_requests_total {__name__="http_requests_total"})@18:37 range=1800000)@18:42)@13:43)@0:44',
  },
  {
    input: `'\\a\\b\\f\\n\\r\\t\\v\\\\\\' - \\xFF\\377\\u1234\\U00010111\\U0001011111☺'`,
    tree: `str("\\a\\b\\f\\n\\r\\t\\v\\\\' - \\xff\\xffሴ𐄑𐄑11☺")@0:62`,
  },
  {
    input: '`\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\\' - \\xFF\\377\\u1234\\U00010111\\U0001011111☺`',
    tree: 'str("\\\\a\\\\b\\\\f\\\\n\\\\r\\\\t\\\\v\\\\\\\\\\\\\\"\\\\\' - \\\\xFF\\\\377\\\\u1234\\\\U00010111\\\\U0001011111☺")@0:64',
  },
  // Errors.
  { input: '1 unless 1', errors: [['set operator "unless" not allowed in binary scalar expression', 0, 10]] },
  { input: '*test', errors: [['unexpected <op:*>', 0, 1]] },
  { input: '1 and foo', errors: [['set operator "and" not allowed in binary scalar expression', 0, 9]] },
  { input: 'foo or 1', errors: [['set operator "or" not allowed in binary scalar expression', 0, 8]] },
  { input: '1 or foo', errors: [['set operator "or" not allowed in binary scalar expression', 0, 8]] },
  { input: 'foo unless 1', errors: [['set operator "unless" not allowed in binary scalar expression', 0, 12]] },
  { input: '1 unless foo', errors: [['set operator "unless" not allowed in binary scalar expression', 0, 12]] },
  {
    input: 'foo and on(bar) group_right(baz) bar',
    errors: [
      ['no grouping allowed for "and" operation', 0, 36],
      ['set operations must always be many-to-many', 0, 36],
    ],
  },
  {
    input: 'foo or on(bar) group_left(baz) bar',
    errors: [
      ['no grouping allowed for "or" operation', 0, 34],
      ['set operations must always be many-to-many', 0, 34],
    ],
  },
  {
    input: 'foo or on(bar) group_right(baz) bar',
    errors: [
      ['no grouping allowed for "or" operation', 0, 35],
      ['set operations must always be many-to-many', 0, 35],
    ],
  },
  {
    input: 'foo unless on(bar) group_left(baz) bar',
    errors: [
      ['no grouping allowed for "unless" operation', 0, 38],
      ['set operations must always be many-to-many', 0, 38],
    ],
  },
  {
    input: 'foo unless on(bar) group_right(baz) bar',
    errors: [
      ['no grouping allowed for "unless" operation', 0, 39],
      ['set operations must always be many-to-many', 0, 39],
    ],
  },
  { input: 'foo + bool 10', errors: [['bool modifier can only be used on comparison operators', 4, 9]] },
  { input: 'foo @ +Inf', errors: [['timestamp out of bounds for @ modifier: +Inf', 0, 3]] },
  { input: 'foo @ -Inf', errors: [['timestamp out of bounds for @ modifier: -Inf', 0, 3]] },
  { input: 'foo @ NaN', errors: [['timestamp out of bounds for @ modifier: NaN', 0, 3]] },
  {
    input: 'foo @ 9223372036854775808.000000',
    errors: [['timestamp out of bounds for @ modifier: 9223372036854775808.000000', 0, 3]],
  },
  {
    input: 'foo @ -9223372036854775808.000000',
    errors: [['timestamp out of bounds for @ modifier: -9223372036854775808.000000', 0, 3]],
  },
  { input: '{', errors: [['unexpected end of input inside braces', 1, 1]] },
  { input: '}', errors: [[`unexpected character: '}'`, 0, 1]] },
  { input: 'some{', errors: [['unexpected end of input inside braces', 5, 5]] },
  { input: 'some}', errors: [[`unexpected character: '}'`, 4, 5]] },
  { input: 'some_metric{a=b}', errors: [['unexpected identifier "b" in label matching, expected string', 14, 15]] },
  { input: 'some_metric{a:b="b"}', errors: [[`unexpected character inside braces: ':'`, 13, 20]] },
  { input: 'foo{a*"b"}', errors: [[`unexpected character inside braces: '*'`, 5, 10]] },
  { input: 'foo{a>="b"}', errors: [[`unexpected character inside braces: '>'`, 5, 11]] },
  { input: 'foo{gibberish}', errors: [['unexpected "}" in label matching, expected label matching operator', 13, 14]] },
  { input: 'foo{1}', errors: [[`unexpected character inside braces: '1'`, 4, 6]] },
  { input: '{}', errors: [['vector selector must contain at least one non-empty matcher', 0, 2]] },
  { input: '{x=""}', errors: [['vector selector must contain at least one non-empty matcher', 0, 6]] },
  { input: '{x=~".*"}', errors: [['vector selector must contain at least one non-empty matcher', 0, 9]] },
  { input: '{x!~".+"}', errors: [['vector selector must contain at least one non-empty matcher', 0, 9]] },
  { input: '{x!="a"}', errors: [['vector selector must contain at least one non-empty matcher', 0, 8]] },
  { input: 'foo{__name__="bar"}', errors: [['metric name must not be set twice: "foo" or "bar"', 0, 19]] },
  { input: 'foo{__name__= =}', errors: [['unexpected "=" in label matching, expected string', 14, 15]] },
  { input: 'foo{,}', errors: [['unexpected "," in label matching, expected identifier or "}"', 4, 5]] },
  { input: 'foo{__name__ == "bar"}', errors: [['unexpected "=" in label matching, expected string', 14, 15]] },
  {
    input: 'foo{__name__="bar" lol}',
    errors: [['unexpected identifier "lol" in label matching, expected "," or "}"', 19, 22]],
  },
  { input: 'foo{"a"=}', errors: [['unexpected "}" in label matching, expected string', 8, 9]] },
  { input: 'foo[5mm]', errors: [['bad number or duration syntax: "5mm"', 4, 8]] },
  { input: 'foo[5m1]', errors: [['bad number or duration syntax: "5m1"', 4, 8]] },
  { input: 'foo[5m:1m1]', errors: [['bad number or duration syntax: "1m1"', 7, 11]] },
  {
    input: 'foo[5y1hs]',
    errors: [
      ['unknown unit "hs" in duration "5y1hs"', 4, 9],
      ['duration must be greater than 0', 4, 9],
    ],
  },
  {
    input: 'foo[5m1h]',
    errors: [
      ['not a valid duration string: "5m1h"', 4, 8],
      ['duration must be greater than 0', 4, 8],
    ],
  },
  {
    input: 'foo[5m1m]',
    errors: [
      ['not a valid duration string: "5m1m"', 4, 8],
      ['duration must be greater than 0', 4, 8],
    ],
  },
  { input: 'foo[0m]', errors: [['duration must be greater than 0', 4, 6]] },
  { input: 'foo["5m"]', errors: [[`unexpected character in duration expression: '"'`, 4, 9]] },
  {
    input: 'foo[]',
    errors: [['unexpected "]" in subquery or range selector, expected number, duration, step(), or range()', 4, 5]],
  },
  { input: 'foo[-1]', errors: [['duration must be greater than 0', 4, 6]] },
  { input: 'some_metric[5m] OFFSET 1mm', errors: [['bad number or duration syntax: "1mm"', 23, 26]] },
  {
    input: 'some_metric[5m] OFFSET',
    errors: [['unexpected end of input in offset, expected number, duration, step(), or range()', 22, 22]],
  },
  { input: 'some_metric OFFSET 1m[5m]', errors: [['no offset modifiers allowed before range', 21, 25]] },
  { input: 'some_metric[5m] @', errors: [['unexpected end of input in @, expected timestamp', 17, 17]] },
  { input: 'some_metric @ 1234 [5m]', errors: [['no @ modifiers allowed before range', 19, 23]] },
  { input: '(foo + bar)[5m]', errors: [['ranges only allowed for vector selectors', 11, 15]] },
  { input: 'sum by ("foo)(some_metric{})', errors: [['unterminated quoted string', 8, 28]] },
  { input: 'sum without(==)(some_metric)', errors: [['unexpected <op:==> in grouping opts, expected label', 12, 14]] },
  { input: 'sum without(,)(some_metric)', errors: [['unexpected "," in grouping opts, expected label', 12, 13]] },
  { input: 'sum without(foo,,)(some_metric)', errors: [['unexpected "," in grouping opts, expected label', 16, 17]] },
  { input: 'sum some_metric by (test)', errors: [['unexpected identifier "some_metric"', 4, 15]] },
  {
    input: 'sum (some_metric) by test',
    errors: [['unexpected identifier "test" in grouping opts, expected "("', 21, 25]],
  },
  { input: 'sum () by (test)', errors: [['no arguments for aggregate expression provided', 0, 16]] },
  { input: 'MIN keep_common (some_metric)', errors: [['unexpected identifier "keep_common"', 4, 15]] },
  { input: 'MIN (some_metric) keep_common', errors: [['unexpected identifier "keep_common"', 18, 29]] },
  { input: 'sum without (test) (some_metric) by (test)', errors: [['unexpected <by>', 33, 35]] },
  {
    input: 'topk(some_metric)',
    errors: [['wrong number of arguments for aggregate expression provided, expected 2, got 1', 0, 17]],
  },
  {
    input: 'topk(some_metric,)',
    errors: [
      ['trailing commas not allowed in function call args', 16, 17],
      ['wrong number of arguments for aggregate expression provided, expected 2, got 1', 0, 18],
    ],
  },
  {
    input: 'topk(some_metric, other_metric)',
    errors: [['expected type scalar in aggregation parameter, got instant vector', 5, 16]],
  },
  {
    input: 'count_values(5, other_metric)',
    errors: [['expected type string in aggregation parameter, got scalar', 13, 14]],
  },
  { input: 'floor()', errors: [['expected 1 argument(s) in call to "floor", got 0', 0, 7]] },
  { input: 'floor(some_metric, other_metric)', errors: [['expected 1 argument(s) in call to "floor", got 2', 0, 32]] },
  { input: 'floor(some_metric, 1)', errors: [['expected 1 argument(s) in call to "floor", got 2', 0, 21]] },
  { input: 'floor(1)', errors: [['expected type instant vector in call to function "floor", got scalar', 6, 7]] },
  {
    input: 'hour(some_metric, some_metric, some_metric)',
    errors: [['expected at most 1 argument(s) in call to "hour", got 3', 0, 43]],
  },
  { input: 'time(some_metric)', errors: [['expected 0 argument(s) in call to "time", got 1', 0, 17]] },
  {
    input: 'non_existent_function_far_bar()',
    errors: [['unknown function with name "non_existent_function_far_bar"', 0, 29]],
  },
  {
    input: 'rate(some_metric)',
    errors: [['expected type range vector in call to function "rate", got instant vector', 5, 16]],
  },
  { input: '-=', errors: [['unexpected "="', 1, 2]] },
  { input: '++-++-+-+-<', errors: [['unexpected <op:<>', 10, 11]] },
  { input: 'e-+=/(0)', errors: [['unexpected "="', 3, 4]] },
  { input: 'a>b()', errors: [['unknown function with name "b"', 2, 3]] },
  { input: 'rate(avg)', errors: [['expected type range vector in call to function "rate", got instant vector', 5, 8]] },
  { input: '`\\``', errors: [['unterminated raw string', 3, 4]] },
  { input: '"\\', errors: [['escape sequence not terminated', 0, 2]] },
  { input: '"\\c"', errors: [[`unknown escape sequence U+0063 'c'`, 0, 4]] },
  { input: '"\\x."', errors: [[`illegal character U+002E '.' in escape sequence`, 0, 5]] },
  { input: 'foo{bar="baz"}[', errors: [['unexpected end of input in duration expression', 15, 15]] },
  {
    input: 'test[5d] OFFSET 10s [10m:5s]',
    errors: [['subquery is only allowed on instant vector, got matrix instead', 0, 28]],
  },
  {
    input: '(foo + bar{nm="val"})[5m:][10m:5s]',
    errors: [['subquery is only allowed on instant vector, got matrix instead', 0, 34]],
  },
  {
    input: 'rate(food[1m])[1h] offset 1h',
    errors: [
      ['ranges only allowed for vector selectors', 14, 18],
      ['ranges only allowed for vector selectors', 0, 18],
    ],
  },
  {
    input: 'rate(food[1m])[1h] @ 100',
    errors: [
      ['ranges only allowed for vector selectors', 14, 18],
      ['ranges only allowed for vector selectors', 0, 18],
    ],
  },
  {
    input: 'info(rate(http_request_counter_total{}[5m]), target_info{foo="bar"})',
    errors: [['expected label selectors only, got vector selector instead', 45, 67]],
  },
  {
    input: 'info(http_request_counter_total{namespace="zzz"}, {foo="bar"} == 1)',
    errors: [['expected label selectors only', 50, 66]],
  },
  {
    input: 'foo[step]',
    errors: [['unexpected "]" in subquery or range selector, expected number, duration, step(), or range()', 8, 9]],
  },
  {
    input: 'foo[step()/0d]',
    errors: [
      ['division by zero', 10, 11],
      ['duration must be greater than 0', 0, 0],
    ],
  },
  {
    input: 'foo[5s/0d]',
    errors: [
      ['division by zero', 6, 7],
      ['duration must be greater than 0', 0, 0],
    ],
  },
  { input: 'foo offset (4d/0)', errors: [['division by zero', 14, 15]] },
  {
    input: 'foo[5s%0d]',
    errors: [
      ['modulo by zero', 6, 7],
      ['duration must be greater than 0', 0, 0],
    ],
  },
  { input: 'foo offset 9.5e10', errors: [['duration out of range', 11, 17]] },
  {
    input: 'foo[9.5e10]',
    errors: [
      ['duration out of range', 4, 10],
      ['duration must be greater than 0', 0, 0],
    ],
  },
  {
    input: 'sum(rate(',
    errors: [
      ['unclosed left parenthesis', 9, 9],
      ['no arguments for aggregate expression provided', 0, 0],
    ],
  },
  { input: 'foo[5s x 5s]', errors: [[`unexpected character: 'x', expected ':'`, 7, 12]] },
  { input: 'foo[5s s 5s]', errors: [[`unexpected character: 's', expected ':'`, 7, 12]] },
  { input: '', errors: [['no expression found in input', 0, 0]] },
  { input: '1+', errors: [['unexpected end of input', 2, 2]] },
  { input: '.', errors: [[`unexpected character: '.'`, 0, 1]] },
  { input: '2.5.', errors: [['bad number or duration syntax: "2.5."', 0, 4]] },
  { input: '100..4', errors: [['bad number or duration syntax: "100.."', 0, 6]] },
  { input: '0deadbeef', errors: [['bad number or duration syntax: "0de"', 0, 9]] },
  { input: '1 /', errors: [['unexpected end of input', 3, 3]] },
  { input: '*1', errors: [['unexpected <op:*>', 0, 1]] },
  { input: '(1))', errors: [[`unexpected right parenthesis ')'`, 4, 4]] },
  { input: '((1)', errors: [['unclosed left parenthesis', 4, 4]] },
  { input: '(', errors: [['unclosed left parenthesis', 1, 1]] },
  { input: '1 and 1', errors: [['set operator "and" not allowed in binary scalar expression', 0, 7]] },
  { input: '1 == 1', errors: [['comparisons between scalars must use BOOL modifier', 2, 3]] },
  { input: '1 or 1', errors: [['set operator "or" not allowed in binary scalar expression', 0, 6]] },
  { input: '1 !~ 1', errors: [[`unexpected character after '!': '~'`, 2, 6]] },
  { input: '1 =~ 1', errors: [[`unexpected character after '=': '~'`, 2, 6]] },
  {
    input: '-"string"',
    errors: [['unary expression only allowed on expressions of type scalar or instant vector, got "string"', 0, 9]],
  },
  {
    input: '-test[5m]',
    errors: [
      ['unary expression only allowed on expressions of type scalar or instant vector, got "range vector"', 0, 9],
    ],
  },
  { input: '@@', errors: [['unexpected <op:@>', 0, 1]] },
  {
    input: '1 offset 1d',
    errors: [
      ['offset modifier must be preceded by an instant vector selector or range vector selector or a subquery', 0, 1],
    ],
  },
  { input: 'foo offset 1s offset 2s', errors: [['offset may not be set multiple times', 0, 13]] },
  { input: 'a - on(b) ignoring(c) d', errors: [['unexpected <ignoring>', 10, 18]] },
  { input: 'foo and 1', errors: [['set operator "and" not allowed in binary scalar expression', 0, 9]] },
  {
    input: '1 or on(bar) foo',
    errors: [
      ['vector matching only allowed between instant vectors', 0, 16],
      ['set operator "or" not allowed in binary scalar expression', 0, 16],
    ],
  },
  { input: 'foo == on(bar) 10', errors: [['vector matching only allowed between instant vectors', 0, 17]] },
  { input: 'foo + group_left(baz) bar', errors: [['unexpected <group_left>', 6, 16]] },
  {
    input: 'foo and on(bar) group_left(baz) bar',
    errors: [
      ['no grouping allowed for "and" operation', 0, 35],
      ['set operations must always be many-to-many', 0, 35],
    ],
  },
  {
    input: 'http_requests{group="production"} + on(instance) group_left(job,instance) cpu_count{type="smp"}',
    errors: [['label "instance" must not occur in ON and GROUP clause at once', 34, 72]],
  },
  { input: 'foo + bool bar', errors: [['bool modifier can only be used on comparison operators', 4, 9]] },
  {
    input: 'foo and bool 10',
    errors: [
      ['bool modifier can only be used on comparison operators', 4, 11],
      ['set operator "and" not allowed in binary scalar expression', 0, 15],
    ],
  },
  { input: 'sum (some_metric) without (test) by (test)', errors: [['unexpected <by>', 33, 35]] },
  {
    input: 'rate(some_metric[5m]) @ 1234',
    errors: [
      ['@ modifier must be preceded by an instant vector selector or range vector selector or a subquery', 0, 21],
    ],
  },
  {
    input: 'sum(',
    errors: [
      ['unclosed left parenthesis', 4, 4],
      ['no arguments for aggregate expression provided', 0, 0],
    ],
  },
  {
    input: 'some_metric{a="\udcff"}',
    errors: [['invalid UTF-8 rune', 14, 20]],
    note: 'upstream writes a raw 0xff byte (end 18); a JavaScript string carries it as a lone surrogate (3 bytes)',
  },
  {
    input: 'label_replace(a, `b`, `c\udcff`, `d`, `.*`)',
    errors: [
      ['invalid UTF-8 rune', 22, 40],
      ['trailing commas not allowed in function call args', 20, 21],
    ],
    note: 'upstream writes a raw 0xff byte (end 38); a JavaScript string carries it as a lone surrogate (3 bytes)',
  },
  // Current grammar beyond upstream's table.
  {
    input: 'a + fill(0) b',
    tree: 'bin(+ match(one-to-one fill_left=0 fill_right=0) vs(a {__name__="a"})@0:1 vs(b {__name__="b"})@12:13)@0:13',
    source: 'derived',
  },
  {
    input: '1 + fill(0) 2',
    errors: [['filling in missing series only allowed between instant vectors', 0, 13]],
    source: 'derived',
  },
  {
    input: 'a and fill(0) b',
    errors: [['filling in missing series not allowed for set operators', 0, 15]],
    source: 'derived',
  },
  {
    input: 'foo[5m] anchored smoothed',
    errors: [['anchored and smoothed modifiers cannot be used together', 0, 7]],
    source: 'derived',
  },
  {
    input: 'foo[5m:1m] anchored',
    errors: [['anchored modifier is not supported for subqueries', 0, 10]],
    source: 'derived',
  },
  { input: 'sum(foo) smoothed', errors: [['smoothed modifier not implemented', 0, 8]], source: 'derived' },
  {
    input: 'h </ bool 1',
    errors: [['bool modifier can only be used on comparison operators', 2, 8]],
    source: 'derived',
  },
  {
    input: 'foo{a=~"(.*"}',
    errors: [['error parsing regexp: missing closing ): `^(?s:(.*)$`', 4, 12]],
    source: 'derived',
  },
  { input: 'sum by ("") (foo)', errors: [['invalid label name for grouping: ""', 8, 10]], source: 'derived' },
  { input: 'foo @ step()', errors: [['unexpected "step" in @, expected timestamp', 6, 10]], source: 'derived' },
  {
    input: 'foo offset bar',
    errors: [['unexpected identifier "bar" in offset, expected number, duration, step(), or range()', 11, 14]],
    source: 'derived',
  },
  { input: 'foo[5m:bar]', errors: [[`unexpected character: 'b', expected ':'`, 7, 11]], source: 'derived' },
  {
    input: 'foo[5m 5m]',
    errors: [['unexpected duration "5m" in subquery or range, expected ":" or "]"', 7, 9]],
    source: 'derived',
  },
  {
    input: 'foo[5m:5m 5m]',
    errors: [['unexpected duration "5m" in subquery selector, expected "]"', 10, 12]],
    source: 'derived',
  },
  {
    input: 'sum(foo bar)',
    errors: [
      ['unexpected identifier "bar" in aggregation', 8, 11],
      ['no arguments for aggregate expression provided', 0, 0],
    ],
    source: 'derived',
  },
  {
    input: 'sum by (foo bar) (x)',
    errors: [['unexpected identifier "bar" in grouping opts, expected "," or ")"', 12, 15]],
    source: 'derived',
  },
  { input: 'foo and', errors: [['unexpected end of input', 7, 7]], source: 'derived' },
  { input: 'rate(foo[5m]', errors: [['unclosed left parenthesis', 12, 12]], source: 'derived' },
  { input: 'a * on(b) group_left(c', errors: [['unclosed left parenthesis', 22, 22]], source: 'derived' },
  {
    input: '{"a"=~"b" "c"}',
    errors: [['unexpected string "\\"c\\"" in label matching, expected "," or "}"', 10, 13]],
    source: 'derived',
  },
  { input: 'min_of(1)', errors: [['expected 2 argument(s) in call to "min_of", got 1', 0, 9]], source: 'derived' },
  // Feature gates off (upstream's defaults).
  {
    input: 'a + fill(0) b',
    options: 'none',
    source: 'derived',
    errors: [['binop fill modifiers are experimental and not enabled', 0, 13]],
  },
  {
    input: 'limitk(1, foo)',
    options: 'none',
    source: 'derived',
    errors: [
      ['limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions', 0, 14],
    ],
  },
  {
    input: 'mad_over_time(foo[5m])',
    options: 'none',
    source: 'derived',
    errors: [['function "mad_over_time" is not enabled', 0, 13]],
  },
  { input: 'step()', options: 'none', source: 'derived', errors: [['function "step" is not enabled', 0, 4]] },
  {
    input: 'foo[1m+1m]',
    options: 'none',
    source: 'derived',
    errors: [['experimental duration expression is not enabled', 4, 6]],
  },
  {
    input: 'foo[5m] anchored',
    options: 'none',
    source: 'derived',
    errors: [['anchored modifier is experimental and not enabled', 0, 7]],
  },
  {
    input: 'foo[5m] smoothed',
    options: 'none',
    source: 'derived',
    errors: [['smoothed modifier is experimental and not enabled', 0, 7]],
  },
  {
    input: 'rate(foo[5m])',
    options: 'none',
    source: 'derived',
    tree: 'call(rate matrix(vs(foo {__name__="foo"})@5:8 range=300000)@5:12)@0:13',
  },
];
