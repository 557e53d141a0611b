import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../decode.ts';
import { list, object, section, str, withDefault } from '../schema.ts';
import { issuesOf } from '../testing.ts';
import { prometheusAlertingFields } from './alerting.ts';
import { globalConfig } from './global.ts';
import { checkRemoteWriteConfigs, remoteWriteConfig } from './remote-write.ts';
import { checkScrapeConfigs, resolveScrapeConfigs, scrapeConfigs } from './scrape.ts';

/** A prometheus.yml root as the config module composes it (rule_files kept as plain paths here). */
const prometheusYml = object(
  {
    global: section(globalConfig),
    rule_files: withDefault(list(str()), () => []),
    scrape_configs: withDefault(scrapeConfigs, () => []),
    alerting: section(object(prometheusAlertingFields)),
    remote_write: withDefault(list(remoteWriteConfig), () => []),
  },
  {
    check(v, report) {
      checkScrapeConfigs(v.global, v.scrape_configs, report);
      checkRemoteWriteConfigs(v.remote_write, report);
    },
  },
);

const fullPrometheusYml = `# A home-lab Prometheus: itself, hosts, containers found through Docker, probes.
global:
  scrape_interval: 15s
  evaluation_interval: 15s
  external_labels:
    cluster: home-lab
    replica: A

alerting:
  alertmanagers:
    - static_configs:
        - targets: ['alertmanager:9093']

rule_files:
  - /etc/prometheus/rules/*.yml
  - alerts.yml

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['localhost:9090']

  - job_name: node
    scrape_interval: 30s
    static_configs:
      - targets: ['node-exporter:9100', 'nas.lan:9100']
        labels:
          env: prod
    relabel_configs:
      - source_labels: [__address__]
        regex: '([^:]+):\\d+'
        target_label: instance
        replacement: '$1'

  - job_name: cadvisor
    scrape_interval: 10s
    static_configs:
      - targets: ['cadvisor:8080']
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'container_(tasks_state|memory_failures_total)'
        action: drop

  - job_name: docker-containers
    docker_sd_configs:
      - host: unix:///var/run/docker.sock
        refresh_interval: 30s
        filters:
          - name: label
            values: ['prometheus.scrape=true']
    relabel_configs:
      - source_labels: [__meta_docker_container_label_prometheus_port]
        target_label: __tmp_port
      - source_labels: [__meta_docker_network_ip, __tmp_port]
        separator: ':'
        target_label: __address__
      - regex: __meta_docker_container_label_prometheus_(.+)
        action: labelmap
      - source_labels: [__meta_docker_container_name]
        regex: '/(.*)'
        target_label: container

  - job_name: blackbox
    metrics_path: /probe
    params:
      module: [http_2xx]
    file_sd_configs:
      - files: ['targets/blackbox-*.yml']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: blackbox:9115

  - job_name: traefik
    scheme: https
    scrape_timeout: 5s
    basic_auth:
      username: metrics
      password: \${TRAEFIK_METRICS_PASSWORD}
    tls_config:
      insecure_skip_verify: true
    static_configs:
      - targets: ['traefik.lan:8443']

remote_write:
  - url: https://prometheus-prod-01.grafana.net/api/prom/push
    basic_auth:
      username: 123456
      password: \${GRAFANA_CLOUD_TOKEN}
    write_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_.*'
        action: drop
    queue_config:
      max_samples_per_send: 1000
`;

describe('scrape_configs', () => {
  it('decodes a realistic prometheus.yml', () => {
    const env = { TRAEFIK_METRICS_PASSWORD: 't-pw', GRAFANA_CLOUD_TOKEN: 'glc_abc' };
    const v = decodeYaml(prometheusYml, fullPrometheusYml, { file: 'prometheus.yml', env });
    assert.deepEqual(
      v.scrape_configs.map((c) => c.job_name),
      ['prometheus', 'node', 'cadvisor', 'docker-containers', 'blackbox', 'traefik'],
    );
    const [prom, node, cadvisor, docker, blackbox, traefik] = v.scrape_configs;
    assert.equal(prom?.metrics_path, '/metrics');
    assert.equal(prom?.scheme, 'http');
    assert.equal(prom?.honor_timestamps, true);
    assert.equal(prom?.enable_compression, true);
    assert.equal(node?.relabel_configs[0]?.regex, '([^:]+):\\d+');
    assert.equal(cadvisor?.metric_relabel_configs[0]?.action, 'drop');
    assert.deepEqual(docker?.docker_sd_configs[0]?.filters, [{ name: 'label', values: ['prometheus.scrape=true'] }]);
    assert.equal(docker?.docker_sd_configs[0]?.port, 80);
    assert.equal(docker?.docker_sd_configs[0]?.match_first_network, true);
    assert.equal(docker?.docker_sd_configs[0]?.refresh_interval, 30_000);
    assert.deepEqual(blackbox?.file_sd_configs[0], { files: ['targets/blackbox-*.yml'], refresh_interval: 300_000 });
    assert.deepEqual({ ...blackbox?.params }, { module: ['http_2xx'] });
    assert.equal(traefik?.basic_auth?.password?.reveal(), 't-pw');
    assert.equal(traefik?.tls_config.insecure_skip_verify, true);

    const rw = v.remote_write[0];
    assert.equal(rw?.basic_auth?.username?.reveal(), '123456');
    assert.equal(rw?.enable_http2, false);
    assert.equal(rw?.remote_timeout, 30_000);
    assert.deepEqual(rw?.queue_config, {
      capacity: 10_000,
      max_shards: 50,
      min_shards: 1,
      max_samples_per_send: 1000,
      batch_send_deadline: 5000,
      min_backoff: 30,
      max_backoff: 5000,
      retry_on_http_429: false,
    });
    assert.equal(v.alerting.alertmanagers[0]?.api_version, 'v2');
    assert.equal(v.alerting.alertmanagers[0]?.timeout, 10_000);
    assert.deepEqual(v.rule_files, ['/etc/prometheus/rules/*.yml', 'alerts.yml']);
    assert.equal(JSON.stringify(v).includes('glc_abc'), false);
  });

  it('fills intervals, timeouts, protocols and limits from global', () => {
    const text = [
      'global:',
      '  scrape_interval: 15s',
      '  sample_limit: 1000',
      'scrape_configs:',
      '  - job_name: a',
      '  - job_name: b',
      '    scrape_interval: 5s',
      '    sample_limit: 10',
      '  - job_name: c',
      '    scrape_interval: 1m',
      '    scrape_timeout: 30s',
      '    scrape_protocols: [PrometheusProto]',
      '',
    ].join('\n');
    const v = decodeYaml(prometheusYml, text);
    const [a, b, c] = resolveScrapeConfigs(v.global, v.scrape_configs);
    assert.deepEqual([a?.scrape_interval, a?.scrape_timeout, a?.sample_limit], [15_000, 10_000, 1000]);
    assert.deepEqual([b?.scrape_interval, b?.scrape_timeout, b?.sample_limit], [5000, 5000, 10]);
    assert.deepEqual([c?.scrape_interval, c?.scrape_timeout], [60_000, 30_000]);
    assert.deepEqual(a?.scrape_protocols, ['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText0.0.4']);
    assert.deepEqual(c?.scrape_protocols, ['PrometheusProto']);
    assert.equal(v.scrape_configs[0]?.scrape_interval, undefined, 'the decoded config is left as written');
  });

  const bad: Array<{ name: string; yaml: string; issues: string[] }> = [
    {
      name: 'duplicate job names',
      yaml: 'scrape_configs:\n  - job_name: node\n  - job_name: app\n  - job_name: node\n',
      issues: ['prometheus.yml:4:15: scrape_configs[2].job_name: found multiple scrape configs with job name "node"'],
    },
    {
      name: 'job timeout over the interval inherited from global',
      yaml: 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: slow\n    scrape_timeout: 20s\n',
      issues: [
        'prometheus.yml:5:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "slow"',
      ],
    },
    {
      name: 'missing job_name',
      yaml: 'scrape_configs:\n  - static_configs:\n      - targets: [a:1]\n',
      issues: ['prometheus.yml:2:5: scrape_configs[0].job_name: missing (expected a non-empty string)'],
    },
    {
      name: 'a URL as a static target',
      yaml: 'scrape_configs:\n  - job_name: web\n    static_configs:\n      - targets: ["http://web:8080/metrics"]\n',
      issues: [
        'prometheus.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: "http://web:8080/metrics" is not a valid hostname',
      ],
    },
    {
      name: 'bad scheme',
      yaml: 'scrape_configs:\n  - job_name: a\n    scheme: ftp\n',
      issues: ['prometheus.yml:3:13: scrape_configs[0].scheme: expected one of "http", "https", got "ftp"'],
    },
    {
      name: 'unsupported service discovery',
      yaml: 'scrape_configs:\n  - job_name: k8s\n    kubernetes_sd_configs:\n      - role: pod\n',
      issues: ['prometheus.yml:3:5: scrape_configs[0].kubernetes_sd_configs: unknown key'],
    },
    {
      name: 'file_sd path with a bad extension',
      yaml: 'scrape_configs:\n  - job_name: f\n    file_sd_configs:\n      - files: [targets/*.txt]\n',
      issues: [
        'prometheus.yml:4:17: scrape_configs[0].file_sd_configs[0].files[0]: path name "targets/*.txt" is not valid for file discovery',
      ],
    },
    {
      name: 'file_sd without files',
      yaml: 'scrape_configs:\n  - job_name: f\n    file_sd_configs:\n      - refresh_interval: 1m\n',
      issues: [
        'prometheus.yml:4:9: scrape_configs[0].file_sd_configs[0].files: file service discovery config must contain at least one path name',
      ],
    },
    {
      name: 'docker_sd without host',
      yaml: 'scrape_configs:\n  - job_name: d\n    docker_sd_configs:\n      - port: 9100\n',
      issues: [
        'prometheus.yml:4:9: scrape_configs[0].docker_sd_configs[0].host: missing (expected a Docker daemon address like unix:///var/run/docker.sock)',
      ],
    },
    {
      name: 'docker_sd with a bare path as host',
      yaml: 'scrape_configs:\n  - job_name: d\n    docker_sd_configs:\n      - host: /var/run/docker.sock\n',
      issues: [
        'prometheus.yml:4:15: scrape_configs[0].docker_sd_configs[0].host: expected a Docker daemon address like unix:///var/run/docker.sock, got "/var/run/docker.sock"',
      ],
    },
    {
      name: 'HTTP client rules inside a job',
      yaml: 'scrape_configs:\n  - job_name: a\n    bearer_token: x\n    authorization:\n      credentials: y\n',
      issues: [
        'prometheus.yml:5:7: scrape_configs[0].authorization: authorization is not compatible with bearer_token & bearer_token_file',
      ],
    },
    {
      name: 'every problem at once, in file order',
      yaml: 'scrape_configs:\n  - job_name: a\n    sample_limit: -1\n  - job_name: b\n    metrics_pth: /m\n',
      issues: [
        'prometheus.yml:3:19: scrape_configs[0].sample_limit: expected an integer >= 0, got -1',
        'prometheus.yml:5:5: scrape_configs[1].metrics_pth: unknown key (did you mean metrics_path?)',
      ],
    },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => assert.deepEqual(issuesOf(prometheusYml, c.yaml), c.issues));
  }
});
