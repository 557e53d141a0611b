/** Alertmanager's `inhibit_rules`: alerts that mute other alerts while they fire. */
import {
  emptyRecord,
  type Infer,
  labelName,
  labelNamePattern,
  list,
  object,
  record,
  regex,
  str,
  withDefault,
} from '../../schema.ts';
import { matchers } from './matchers.ts';
import { q } from './shared.ts';

/**
 * An inhibition rule: while an alert matching the source side fires, alerts matching the target side with
 * the same values for every `equal` label are muted. `*_match` / `*_match_re` are the deprecated forms.
 */
export const inhibitRule = object(
  {
    source_matchers: withDefault(matchers, () => []),
    target_matchers: withDefault(matchers, () => []),
    source_match: withDefault(record(str(), labelName()), emptyRecord<string>()),
    source_match_re: withDefault(record(regex(), labelName()), emptyRecord<string>()),
    target_match: withDefault(record(str(), labelName()), emptyRecord<string>()),
    target_match_re: withDefault(record(regex(), labelName()), emptyRecord<string>()),
    equal: withDefault(list(str()), () => []),
  },
  {
    check(r, report) {
      r.equal.forEach((l, i) => {
        if (!labelNamePattern.test(l)) report(['equal', i], `invalid label name ${q(l)} in equal list`);
      });
    },
  },
);
export type InhibitRule = Infer<typeof inhibitRule>;
