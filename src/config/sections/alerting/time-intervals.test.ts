import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../../decode.ts';
import { alertmanagerYml, issuesOf } from './testing.ts';

describe('time intervals', () => {
  const badIntervals: Array<{ name: string; spec: string; issue: string }> = [
    {
      name: 'unknown weekday',
      spec: 'weekdays: [funday]',
      issue: '4:20: time_intervals[0].time_intervals[0].weekdays[0]: funday is not a valid weekday',
    },
    {
      name: 'weekdays out of order',
      spec: 'weekdays: ["friday:monday"]',
      issue: '4:20: time_intervals[0].time_intervals[0].weekdays[0]: start day cannot be before end day',
    },
    {
      name: 'range with two colons',
      spec: 'weekdays: ["monday:tuesday:friday"]',
      issue:
        "4:20: time_intervals[0].time_intervals[0].weekdays[0]: couldn't parse range monday:tuesday:friday, invalid format",
    },
    {
      name: 'day of month zero',
      spec: 'days_of_month: ["0:5"]',
      issue:
        '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: 0 is not a valid day of the month: out of range',
    },
    {
      name: 'negative start, positive end',
      spec: 'days_of_month: ["-3:5"]',
      issue:
        '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: end day must be negative if start day is negative',
    },
    {
      name: 'day range always empty',
      spec: 'days_of_month: ["10:-25"]',
      issue: '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: end day -25 is always before start day 10',
    },
    {
      name: 'day that is not a number',
      spec: 'days_of_month: [first]',
      issue:
        '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: strconv.Atoi: parsing "first": invalid syntax',
    },
    {
      name: 'unknown month',
      spec: 'months: [smarch]',
      issue: '4:18: time_intervals[0].time_intervals[0].months[0]: smarch is not a valid month',
    },
    {
      name: 'months out of order',
      spec: 'months: ["december:january"]',
      issue: '4:18: time_intervals[0].time_intervals[0].months[0]: end month january is before start month december',
    },
    {
      name: 'years out of order',
      spec: 'years: ["2030:2020"]',
      issue: '4:17: time_intervals[0].time_intervals[0].years[0]: end year 2020 is before start year 2030',
    },
    {
      name: 'bad time',
      spec: 'times: [{start_time: "9:00", end_time: "17:00"}]',
      issue:
        "4:30: time_intervals[0].time_intervals[0].times[0].start_time: couldn't parse timestamp 9:00, invalid format",
    },
    {
      name: 'end before start',
      spec: 'times: [{start_time: "18:00", end_time: "08:00"}]',
      issue: '4:17: time_intervals[0].time_intervals[0].times[0]: start time cannot be equal or greater than end time',
    },
    {
      name: 'unknown time zone',
      spec: 'location: Mars/Olympus_Mons',
      issue: '4:19: time_intervals[0].time_intervals[0].location: unknown time zone Mars/Olympus_Mons',
    },
  ];
  for (const c of badIntervals) {
    it(`rejects time interval: ${c.name}`, () => {
      const text = `time_intervals:\n  - name: t\n    time_intervals:\n      - ${c.spec}\n`;
      assert.deepEqual(issuesOf(alertmanagerYml, text), [`alertmanager.yml:${c.issue}`]);
    });
  }

  it('accepts unquoted ranges, 24:00 and Local', () => {
    const text =
      'route:\n  receiver: a\nreceivers:\n  - name: a\ntime_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: [1:7]\n        times: [{start_time: "18:00", end_time: "24:00"}]\n        location: Local\n';
    const spec = decodeYaml(alertmanagerYml, text).time_intervals[0]?.time_intervals[0];
    assert.deepEqual(spec?.days_of_month, [{ begin: 1, end: 7 }]);
    assert.deepEqual(spec?.times, [{ start_time: 1080, end_time: 1440 }]);
    assert.equal(spec?.location, 'Local');
  });
});
