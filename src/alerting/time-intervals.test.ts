import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/index.ts';
import { TimeIntervals } from './time-intervals.ts';

/** Named intervals decoded by the config module, as Alertmanager's config reads them. */
function intervals(yaml: string): TimeIntervals {
  const c = parseConfig(`time_intervals:\n${yaml}`, 'alertmanager.yml', {});
  return new TimeIntervals(c.alerting.time_intervals);
}

const at = (iso: string) => Date.parse(iso);

describe('time intervals', () => {
  const ti = intervals(`
  - name: office
    time_intervals:
      - weekdays: ['monday:friday']
        times: [{start_time: '09:00', end_time: '17:00'}]
        location: Europe/Berlin
  - name: month-end
    time_intervals:
      - days_of_month: ['-3:-1']
  - name: winter-2026
    time_intervals:
      - months: ['december', 'january:february']
        years: ['2026']
  - name: never
    time_intervals:
      - weekdays: []
`);
  const cases: [string, string, boolean][] = [
    ['office', '2026-11-30T08:30:00Z', true], // Monday 09:30 in Berlin (UTC+1)
    ['office', '2026-11-30T07:59:00Z', false], // 08:59 in Berlin
    ['office', '2026-11-30T16:00:00Z', false], // 17:00 in Berlin: the end is exclusive
    ['office', '2026-11-29T10:00:00Z', false], // Sunday
    ['office', '2026-07-06T15:30:00Z', false], // Monday 17:30 in Berlin (CEST, UTC+2): after 17:00
    ['month-end', '2026-02-26T12:00:00Z', true], // 26, 27, 28 of a 28-day February
    ['month-end', '2026-02-25T12:00:00Z', false],
    ['month-end', '2026-03-29T00:00:00Z', true],
    ['winter-2026', '2026-12-24T00:00:00Z', true],
    ['winter-2026', '2026-02-10T00:00:00Z', true],
    ['winter-2026', '2027-01-10T00:00:00Z', false],
    ['winter-2026', '2026-06-01T00:00:00Z', false],
    ['never', '2026-11-30T10:00:00Z', false],
  ];
  for (const [name, time, want] of cases) {
    it(`${name} ${want ? 'contains' : 'does not contain'} ${time}`, () => {
      assert.equal(ti.anyContains([name], at(time)), want);
    });
  }

  it('matches when any of several names matches, never for an unknown name', () => {
    assert.equal(ti.anyContains(['never', 'month-end'], at('2026-02-27T00:00:00Z')), true);
    assert.equal(ti.anyContains(['nope'], at('2026-02-27T00:00:00Z')), false);
  });
});
