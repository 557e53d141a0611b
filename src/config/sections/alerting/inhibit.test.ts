import { describe } from 'node:test';
import { type BadFile, itRejects } from './testing.ts';

describe('inhibition rules', () => {
  const badFiles: BadFile[] = [
    {
      name: 'inhibit rule with a bad equal label',
      yaml: 'inhibit_rules:\n  - target_matchers: [severity=warning]\n    equal: [ok, "not ok"]\n',
      issues: ['alertmanager.yml:3:17: inhibit_rules[0].equal[1]: invalid label name "not ok" in equal list'],
    },
    {
      name: 'match_re with a bad regex',
      yaml: 'inhibit_rules:\n  - source_match_re:\n      service: "(a"\n',
      issues: [
        /^alertmanager\.yml:3:16: inhibit_rules\[0\]\.source_match_re\.service: invalid regular expression "\(a": /,
      ],
    },
  ];
  itRejects(badFiles);
});
