import { describe } from 'node:test';
import { type BadFile, itRejects } from './testing.ts';

describe('receivers', () => {
  const badFiles: BadFile[] = [
    {
      name: 'webhook without url',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - max_alerts: 1\n',
      issues: ['alertmanager.yml:6:9: receivers[0].webhook_configs[0]: one of url or url_file must be configured'],
    },
    {
      name: 'receiver kinds vigil does not support',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: x\n',
      issues: ['alertmanager.yml:5:5: receivers[0].pagerduty_configs: unknown key'],
    },
    {
      name: 'email headers that collide',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    email_configs:\n      - to: x@example.org\n        smarthost: mail:25\n        from: am@example.org\n        headers:\n          subject: a\n          Subject: b\n',
      issues: [
        'alertmanager.yml:10:11: receivers[0].email_configs[0].headers: duplicate header "Subject" in email config',
      ],
    },
    {
      name: 'slack action without url or name',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    slack_configs:\n      - api_url: https://hooks.slack.com/x\n        actions:\n          - type: button\n            text: Ack\n',
      issues: [
        'alertmanager.yml:8:13: receivers[0].slack_configs[0].actions[0]: missing name or url in Slack action configuration',
      ],
    },
  ];
  itRejects(badFiles);
});
