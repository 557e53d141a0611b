import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../log/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { targetsApi } from './api.ts';
import type { TargetGroup } from './discovery.ts';
import { DockerDiscoverer } from './docker-sd.ts';
import type { DockerContainer, DockerNetwork } from './docker-targets.ts';
import { ScrapeManager } from './manager.ts';
import { newScrapeStats } from './metrics.ts';
import { dump, FakeClock, scrapeConfigsOf, serve, TestServer } from './testing.ts';

const quiet = createLogger({ level: 'error', write: () => {} });

/** A Docker Engine API double on a unix socket: `/containers/json` and `/networks`. */
class FakeDocker {
  containers: DockerContainer[] = [];
  networks: DockerNetwork[] = [];
  readonly queries: string[] = [];
  private server: Server | undefined;

  constructor(readonly socket: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://docker');
      this.queries.push(url.search);
      const reply = (body: unknown) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/containers/json') reply(this.containers);
      else if (url.pathname === '/networks') reply(this.networks);
      else res.writeHead(404).end('{"message":"page not found"}');
    });
    await new Promise<void>((resolve) => this.server?.listen(this.socket, resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const web = (ip: string, port: number): DockerContainer => ({
  Id: 'c1',
  Names: ['/web'],
  Labels: { 'prometheus.scrape': 'true', 'com.example/team': 'shop' },
  HostConfig: { NetworkMode: 'bridge' },
  NetworkSettings: { Networks: { bridge: { NetworkID: 'n1', IPAddress: ip } } },
  Ports: [
    { IP: '0.0.0.0', PrivatePort: port, PublicPort: 18080, Type: 'tcp' },
    { PrivatePort: 53, Type: 'udp' },
  ],
});

const others: DockerContainer[] = [
  {
    Id: 'c2',
    Names: ['/db'],
    HostConfig: { NetworkMode: 'backend' },
    NetworkSettings: {
      Networks: {
        frontend: { NetworkID: 'n3', IPAddress: '10.0.1.3' },
        backend: { NetworkID: 'n2', IPAddress: '10.0.0.3' },
      },
    },
    Ports: [],
  },
  { Id: 'c3', Names: ['/sidecar'], HostConfig: { NetworkMode: 'container:c1' }, NetworkSettings: { Networks: {} } },
  {
    Id: 'c4',
    Names: ['/hostnet'],
    HostConfig: { NetworkMode: 'host' },
    NetworkSettings: { Networks: { host: { NetworkID: 'n4' } } },
  },
  { Id: 'c5', Names: [], HostConfig: { NetworkMode: 'bridge' } },
];

const networks: DockerNetwork[] = [
  { Id: 'n1', Name: 'bridge', Scope: 'local', Internal: false, Ingress: false, Labels: {} },
  {
    Id: 'n2',
    Name: 'backend',
    Scope: 'local',
    Internal: true,
    Ingress: false,
    Labels: { 'com.docker.compose.network': 'backend' },
  },
];

describe('docker discovery', () => {
  let dir: string;
  let docker: FakeDocker;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-docker-sd-'));
    docker = new FakeDocker(join(dir, 'docker.sock'));
    await docker.start();
  });
  after(async () => {
    await docker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists one target per container network and port with Prometheus' meta labels", async () => {
    docker.containers = [web('172.17.0.2', 8080), ...others];
    docker.networks = networks;
    const [config] =
      scrapeConfigsOf(
        [
          'scrape_configs:',
          '  - job_name: d',
          '    docker_sd_configs:',
          `      - host: unix://${docker.socket}`,
          '        port: 9100',
          '        filters: [{name: label, values: [prometheus.scrape=true]}]',
        ].join('\n'),
      )[0]?.docker_sd_configs ?? [];
    assert.ok(config);
    const updates: Array<readonly TargetGroup[]> = [];
    const d = new DockerDiscoverer({
      config,
      clock: new FakeClock(),
      logger: quiet,
      stats: newScrapeStats(),
      userAgent: 'vigil',
    });
    await d.start((g) => updates.push(g));
    await d.close();
    assert.equal(docker.queries[0], `?filters=${encodeURIComponent('{"label":{"prometheus.scrape=true":true}}')}`);
    const group = updates[0]?.[0];
    assert.equal(group?.source, 'Docker');
    const bridge = {
      __meta_docker_network_id: 'n1',
      __meta_docker_network_name: 'bridge',
      __meta_docker_network_scope: 'local',
      __meta_docker_network_internal: 'false',
      __meta_docker_network_ingress: 'false',
    };
    assert.deepEqual(group?.targets, [
      {
        __address__: '172.17.0.2:8080',
        __meta_docker_container_id: 'c1',
        __meta_docker_container_name: '/web',
        __meta_docker_container_network_mode: 'bridge',
        __meta_docker_container_label_prometheus_scrape: 'true',
        __meta_docker_container_label_com_example_team: 'shop',
        __meta_docker_network_ip: '172.17.0.2',
        __meta_docker_port_private: '8080',
        __meta_docker_port_public: '18080',
        __meta_docker_port_public_ip: '0.0.0.0',
        ...bridge,
      },
      {
        __address__: '10.0.0.3:9100',
        __meta_docker_container_id: 'c2',
        __meta_docker_container_name: '/db',
        __meta_docker_container_network_mode: 'backend',
        __meta_docker_network_ip: '10.0.0.3',
        __meta_docker_network_id: 'n2',
        __meta_docker_network_name: 'backend',
        __meta_docker_network_scope: 'local',
        __meta_docker_network_internal: 'true',
        __meta_docker_network_ingress: 'false',
        __meta_docker_network_label_com_docker_compose_network: 'backend',
      },
      {
        __address__: '172.17.0.2:9100',
        __meta_docker_container_id: 'c3',
        __meta_docker_container_name: '/sidecar',
        __meta_docker_container_network_mode: 'container:c1',
        __meta_docker_network_ip: '172.17.0.2',
        ...bridge,
      },
      {
        __address__: 'localhost',
        __meta_docker_container_id: 'c4',
        __meta_docker_container_name: '/hostnet',
        __meta_docker_container_network_mode: 'host',
        __meta_docker_network_ip: '',
      },
    ]);
  });

  it('feeds scrape targets, and keeps them when the daemon stops answering', async () => {
    const app = new TestServer({ '/metrics': serve(() => 'in_container 1\n') });
    await app.start();
    const port = Number(app.address.split(':')[1]);
    docker.containers = [web('127.0.0.1', port), ...others];
    docker.networks = networks;
    const yaml = [
      'global: {scrape_interval: 15s}',
      'scrape_configs:',
      '  - job_name: containers',
      '    docker_sd_configs:',
      `      - host: unix://${docker.socket}`,
      '        refresh_interval: 30s',
      '    relabel_configs:',
      '      - {source_labels: [__meta_docker_container_label_prometheus_scrape], regex: "true", action: keep}',
      '      - {source_labels: [__meta_docker_container_name], regex: "/(.*)", target_label: container}',
    ].join('\n');
    const storage = new MemoryStorage();
    const clock = new FakeClock();
    const manager = new ScrapeManager({ appendable: storage, logger: quiet, clock });
    await manager.applyConfig(scrapeConfigsOf(yaml));
    await manager.start();
    await manager.refreshDiscovery();
    const api = targetsApi(manager);
    assert.deepEqual(
      api.activeTargets.map((t) => t.labels),
      [{ container: 'web', instance: app.address, job: 'containers' }],
    );
    assert.equal(api.droppedTargets.length, 3);
    await clock.advance(15_000);
    const series = dump(storage);
    assert.equal(
      series.get(`{__name__="in_container", container="web", instance="${app.address}", job="containers"}`)?.[0]?.[1],
      1,
    );

    await docker.close();
    await clock.advance(30_000);
    assert.equal(manager.stats.dockerSdRefreshFailures, 1);
    assert.equal(targetsApi(manager).activeTargets.length, 1, 'the last targets stay');
    await manager.close();
    await app.close();
    await docker.start();
  });
});
