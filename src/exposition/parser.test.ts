import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { floatBits, isStaleNaN, Labels } from '../model/index.ts';
import { createParser } from './parser.ts';
import { Entry, type ExpositionFormat } from './types.ts';

const formats: ExpositionFormat[] = ['text-0.0.4', 'openmetrics-1.0.0'];
const eof = (f: ExpositionFormat) => (f === 'openmetrics-1.0.0' ? '# EOF\n' : '');

describe('cursor contract, both formats', () => {
  for (const f of formats) {
    test(`${f}: series span, key and labels of a sample`, () => {
      const text = `# TYPE a gauge\na{x="1",y="2"} 3 4\n${eof(f)}`;
      const body = Buffer.from(text);
      const p = createParser(body, f);
      assert.equal(p.next(), Entry.Type);
      assert.equal(p.seriesKey(), '', 'no series on a TYPE entry');
      assert.equal(p.next(), Entry.Sample);
      assert.equal(body.subarray(p.seriesStart(), p.seriesEnd()).toString(), 'a{x="1",y="2"}');
      assert.equal(p.seriesKey(), 'a{x="1",y="2"}');
      assert.ok(p.labels().equals(Labels.fromObject({ __name__: 'a', x: '1', y: '2' })));
      assert.equal(p.value(), 3);
      assert.equal(p.timestampMs(), f === 'text-0.0.4' ? 4 : 4000);
      assert.equal(p.help(), '');
      assert.equal(p.next(), Entry.Eof);
      assert.equal(p.next(), Entry.Eof, 'EOF is sticky');
      assert.equal(p.err(), null);
    });

    test(`${f}: NaN is Prometheus' normal NaN, never the staleness marker`, () => {
      const p = createParser(Buffer.from(`a NaN\n${eof(f)}`), f);
      assert.equal(p.next(), Entry.Sample);
      assert.deepEqual(floatBits(p.value()), [0x7ff80000, 1]);
      assert.equal(isStaleNaN(p.value()), false);
    });

    test(`${f}: reset reuses the parser on another body, a Uint8Array view at an offset`, () => {
      const p = createParser(Buffer.from(`a 1\n${eof(f)}`), f);
      assert.equal(p.next(), Entry.Sample);
      const backing = new Uint8Array(Buffer.from(`xxxxb{c="d"} 2\n${eof(f)}`));
      p.reset(backing.subarray(4));
      assert.equal(p.next(), Entry.Sample);
      assert.equal(p.seriesKey(), 'b{c="d"}');
      assert.equal(p.labels().toString(), '{__name__="b", c="d"}');
      assert.equal(p.next(), Entry.Eof);
    });

    test(`${f}: many labels, given in reverse order, come back sorted`, () => {
      const names = Array.from({ length: 40 }, (_, i) => `l${String(i).padStart(2, '0')}`).reverse();
      const p = createParser(Buffer.from(`m{${names.map((n) => `${n}="v"`).join(',')}} 1\n${eof(f)}`), f);
      assert.equal(p.next(), Entry.Sample);
      const l = p.labels();
      assert.equal(l.size, 41);
      assert.deepEqual(
        Array.from({ length: 41 }, (_, i) => l.name(i)),
        ['__name__', ...[...names].reverse()],
      );
    });
  }
});

test('exemplar accessors', () => {
  const p = createParser(Buffer.from('a_total 1 # {z="1",a="2"} 0.5 10.5\nb_total 2\n# EOF\n'), 'openmetrics-1.0.0');
  assert.equal(p.next(), Entry.Sample);
  assert.equal(p.hasExemplar(), true);
  const e = p.exemplar();
  assert.ok(e !== null);
  assert.equal(e.labels.toString(), '{a="2", z="1"}');
  assert.equal(e.value, 0.5);
  assert.equal(e.timestampMs, 10500);
  assert.equal(p.next(), Entry.Sample);
  assert.equal(p.hasExemplar(), false);
  assert.equal(p.exemplar(), null);
});

test('the text 0.0.4 parser has no exemplars: "#" after the value is a timestamp error', () => {
  const p = createParser(Buffer.from('a_total 1 # {a="b"} 1\n'), 'text-0.0.4');
  assert.equal(p.next(), Entry.Invalid);
  assert.equal(p.err()?.message, 'line 1, col 11: expected timestamp or end of line, got "#"');
});
