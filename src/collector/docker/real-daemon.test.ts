// Against the real dockerd of ../shared/containers/start-test-containers.sh, when it runs on this machine.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DockerClient } from './client.ts';
import { parseDockerHost } from './host.ts';
import { containerLabels } from './labels.ts';
import { DockerMetadata } from './metadata.ts';

const socket = '/run/vigil-docker/docker.sock';
const skip = existsSync(socket)
  ? false
  : `no test dockerd at ${socket}: run \`sudo bash ../shared/containers/start-test-containers.sh\` to include this test`;

describe('a real dockerd (the containers recipe)', { skip }, () => {
  it('lists the three test containers', async () => {
    const client = new DockerClient({ endpoint: parseDockerHost(`unix://${socket}`) });
    try {
      const v = await client.version();
      assert.match(v.apiVersion, /^1\.\d+$/);
      const names = (await client.listContainers()).flatMap((c) => c.names);
      for (const n of ['/vigil-cpu', '/vigil-mem', '/vigil-net']) assert.ok(names.includes(n), `${n} in ${names}`);
    } finally {
      await client.close();
    }
  });

  it('names their cgroups, with images and labels', async () => {
    const problems = { once: (key: string, message: string) => assert.fail(`${key}: ${message}`) };
    const md = new DockerMetadata({ host: `unix://${socket}`, problems });
    try {
      await md.start();
      const byName = new Map(md.ids().map((id) => [md.metaForId(id)?.name, id]));
      for (const name of ['vigil-cpu', 'vigil-mem', 'vigil-net']) {
        const id = byName.get(name);
        assert.ok(id !== undefined, `${name} known`);
        const meta = md.metaForCgroup(`/docker/${id}`);
        assert.equal(meta?.name, name);
        assert.equal(meta?.image, 'vigil-test/busybox:latest');
        assert.ok((meta?.pid ?? 0) > 0);
        assert.equal(meta?.labels['vigil.test'], '1');
        assert.equal(
          containerLabels(meta, ['com.docker.compose.service']).container_label_com_docker_compose_service,
          name.slice('vigil-'.length),
        );
      }
    } finally {
      await md.close();
    }
  });
});
