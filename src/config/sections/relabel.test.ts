import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../decode.ts';
import { list, object, required } from '../schema.ts';
import { issuesOf } from '../testing.ts';
import { relabelConfig } from './relabel.ts';

const doc = object({ relabel_configs: required(list(relabelConfig)) });

/** One rule per case, written at `relabel_configs[0]` starting on line 2, column 5. */
const rule = (body: string) => `relabel_configs:\n  - ${body.trim().split('\n').join('\n    ')}\n`;

describe('relabel_config', () => {
  const good: Array<{ name: string; yaml: string; want: Record<string, unknown> }> = [
    {
      name: 'an empty rule gets every default',
      yaml: 'relabel_configs:\n  - target_label: team\n',
      want: {
        source_labels: [],
        separator: ';',
        regex: '(.*)',
        modulus: 0,
        target_label: 'team',
        replacement: '$1',
        action: 'replace',
      },
    },
    {
      name: 'replace with interpolated target label',
      yaml: rule(`source_labels: [__meta_docker_container_label_app]\nregex: (.+)-(.+)\ntarget_label: \${1}_\${2}`),
      want: { source_labels: ['__meta_docker_container_label_app'], target_label: `\${1}_\${2}`, regex: '(.+)-(.+)' },
    },
    {
      name: 'action is case-insensitive and decoded lower-case',
      yaml: rule('action: Keep\nsource_labels: [job]\nregex: node'),
      want: { action: 'keep', regex: 'node' },
    },
    {
      name: 'hashmod',
      yaml: rule('action: hashmod\nsource_labels: [__address__]\nmodulus: 4\ntarget_label: __tmp_hash'),
      want: { modulus: 4 },
    },
    {
      name: 'labelmap',
      yaml: rule('action: labelmap\nregex: __meta_docker_container_label_(.+)'),
      want: { replacement: '$1' },
    },
    {
      name: 'labeldrop takes only regex',
      yaml: rule('action: labeldrop\nregex: pod_template_hash'),
      want: { action: 'labeldrop' },
    },
    {
      name: 'keepequal',
      yaml: rule('action: keepequal\nsource_labels: [__port]\ntarget_label: port'),
      want: { target_label: 'port' },
    },
    {
      name: 'lowercase',
      yaml: rule('action: lowercase\nsource_labels: [env]\ntarget_label: env'),
      want: { action: 'lowercase' },
    },
  ];
  for (const c of good) {
    it(`decodes: ${c.name}`, () => {
      const got = decodeYaml(doc, c.yaml).relabel_configs[0] as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k], v, k);
    });
  }

  const bad: Array<{ name: string; yaml: string; issues: string[] | RegExp }> = [
    {
      name: 'unknown action',
      yaml: rule('action: rename'),
      issues: ['prometheus.yml:2:13: relabel_configs[0].action: unknown relabel action "rename"'],
    },
    {
      name: 'replace needs a target label',
      yaml: rule('source_labels: [a]'),
      issues: [
        "prometheus.yml:2:5: relabel_configs[0]: relabel configuration for replace action requires 'target_label' value",
      ],
    },
    {
      name: 'invalid replace target',
      yaml: rule('target_label: 1abc'),
      issues: [
        `prometheus.yml:2:19: relabel_configs[0].target_label: "1abc" is invalid 'target_label' for replace action`,
      ],
    },
    {
      name: 'hashmod needs a modulus',
      yaml: rule('action: hashmod\ntarget_label: shard'),
      issues: [
        'prometheus.yml:2:5: relabel_configs[0].modulus: relabel configuration for hashmod requires non-zero modulus',
      ],
    },
    {
      name: 'uppercase cannot set replacement',
      yaml: rule('action: uppercase\ntarget_label: env\nreplacement: x'),
      issues: [
        "prometheus.yml:4:18: relabel_configs[0].replacement: 'replacement' can not be set for uppercase action",
      ],
    },
    {
      name: 'labelmap replacement must be a label name template',
      yaml: rule('action: labelmap\nreplacement: "a-$1"'),
      issues: [
        `prometheus.yml:3:18: relabel_configs[0].replacement: "a-$1" is invalid 'replacement' for labelmap action`,
      ],
    },
    {
      name: 'keepequal with a regex',
      yaml: rule('action: keepequal\nsource_labels: [a]\ntarget_label: b\nregex: x'),
      issues: [
        "prometheus.yml:5:12: relabel_configs[0].regex: keepequal action requires only 'source_labels' and `target_label`, and no other fields",
      ],
    },
    {
      name: 'labeldrop with source labels',
      yaml: rule('action: labeldrop\nsource_labels: [a]\nregex: x'),
      issues: [
        "prometheus.yml:3:20: relabel_configs[0].source_labels: labeldrop action requires only 'regex', and no other fields",
      ],
    },
    {
      name: 'labelkeep with a target label',
      yaml: rule('action: labelkeep\ntarget_label: x'),
      issues: [
        "prometheus.yml:3:19: relabel_configs[0].target_label: labelkeep action requires only 'regex', and no other fields",
      ],
    },
    {
      name: 'source label that is not a label name',
      yaml: rule('source_labels: [ok, "not-ok"]\ntarget_label: x'),
      issues: [
        'prometheus.yml:2:25: relabel_configs[0].source_labels[1]: expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*, got "not-ok"',
      ],
    },
    {
      name: 'regex that does not compile',
      yaml: rule('regex: "(a"\ntarget_label: x'),
      issues: /^prometheus\.yml:2:12: relabel_configs\[0\]\.regex: invalid regular expression "\(a": /,
    },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => {
      const issues = issuesOf(doc, c.yaml);
      if (c.issues instanceof RegExp) {
        assert.equal(issues.length, 1);
        assert.match(issues[0] as string, c.issues);
      } else {
        assert.deepEqual(issues, c.issues);
      }
    });
  }

  it('encodes back to Prometheus keys', () => {
    const v = decodeYaml(doc, rule('action: DROP\nsource_labels: [job]\nregex: test'));
    assert.deepEqual(relabelConfig.encode(v.relabel_configs[0] as never), {
      source_labels: ['job'],
      separator: ';',
      regex: 'test',
      modulus: 0,
      target_label: '',
      replacement: '$1',
      action: 'drop',
    });
  });
});
