import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerHostError } from './errors.ts';
import { parseDockerHost, resolveDockerHost } from './host.ts';

describe('parseDockerHost', () => {
  const good: Array<[string, string]> = [
    ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock'],
    ['unix:///run/user/1000/podman/podman.sock', 'unix:///run/user/1000/podman/podman.sock'],
    ['unix://', 'unix:///var/run/docker.sock'],
    ['  unix:///run/vigil-docker/docker.sock  ', 'unix:///run/vigil-docker/docker.sock'],
    ['', 'unix:///var/run/docker.sock'],
    ['tcp://10.0.0.5:2375', 'tcp://10.0.0.5:2375'],
    ['tcp://docker.internal', 'tcp://docker.internal:2375'],
    ['tcp://:4243', 'tcp://localhost:4243'],
    ['tcp://', 'tcp://localhost:2375'],
    ['tcp://[::1]:2375', 'tcp://[::1]:2375'],
    ['tcp://[fe80::1]', 'tcp://[fe80::1]:2375'],
    ['tcp://host:2375/proxy/', 'tcp://host:2375/proxy'],
    ['TCP://host:1', 'tcp://host:1'],
    ['host:2376', 'tcp://host:2376'],
    ['http://127.0.0.1:2375', 'tcp://127.0.0.1:2375'],
  ];
  for (const [input, url] of good) {
    it(`reads ${JSON.stringify(input)} as ${url}`, () => {
      assert.equal(parseDockerHost(input).url, url);
    });
  }

  it('splits a tcp address into host, port and base path', () => {
    assert.deepEqual(parseDockerHost('tcp://[::1]:4243/v/'), {
      kind: 'tcp',
      host: '::1',
      port: 4243,
      basePath: '/v',
      url: 'tcp://[::1]:4243/v',
    });
    assert.deepEqual(parseDockerHost('unix:///tmp/d.sock'), {
      kind: 'unix',
      socketPath: '/tmp/d.sock',
      url: 'unix:///tmp/d.sock',
    });
  });

  const bad: Array<[string, RegExp]> = [
    ['ssh://me@box', /ssh:\/\/ is not supported.*forward the remote socket/],
    ['https://box:2376', /TLS is not supported/],
    ['npipe:////./pipe/docker_engine', /named pipes/],
    ['fd://', /daemon listen address/],
    ['ftp://box', /unknown scheme "ftp"/],
    ['tcp://box:port', /invalid port "port"/],
    ['tcp://box:0', /invalid port "0"/],
    ['tcp://box:65536', /invalid port "65536"/],
    ['tcp://::1:2375', /too many colons/],
    ['tcp://[::1', /unclosed \[/],
    ['tcp://[::1]x', /garbage after/],
    ['tcp://box:2375?x=1', /query or fragment/],
    ['unix://tcp://x', /more than one scheme/],
  ];
  for (const [input, reason] of bad) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseDockerHost(input),
        (err: unknown) =>
          err instanceof DockerHostError &&
          err.code === 'DOCKER_HOST_INVALID' &&
          err.value === input &&
          reason.test(err.reason),
      );
    });
  }
});

describe('resolveDockerHost', () => {
  it('prefers the configured host, then DOCKER_HOST, then the default socket', () => {
    const env = { DOCKER_HOST: 'tcp://from-env:2375' };
    assert.deepEqual(resolveDockerHost('unix:///cfg.sock', env).endpoint.url, 'unix:///cfg.sock');
    assert.equal(resolveDockerHost('unix:///cfg.sock', env).source, 'config');
    assert.equal(resolveDockerHost(undefined, env).endpoint.url, 'tcp://from-env:2375');
    assert.equal(resolveDockerHost('  ', env).source, 'env');
    assert.equal(resolveDockerHost(undefined, {}).endpoint.url, 'unix:///var/run/docker.sock');
    assert.equal(resolveDockerHost(undefined, { DOCKER_HOST: '' }).source, 'default');
  });

  it('refuses a tcp DOCKER_HOST the CLI would use with TLS', () => {
    assert.throws(
      () => resolveDockerHost(undefined, { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: '1' }),
      DockerHostError,
    );
    assert.throws(() => resolveDockerHost(undefined, { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS: 'true' }));
    assert.equal(
      resolveDockerHost(undefined, { DOCKER_HOST: 'unix:///d.sock', DOCKER_TLS_VERIFY: '1' }).endpoint.url,
      'unix:///d.sock',
    );
    assert.equal(resolveDockerHost(undefined, { DOCKER_HOST: 'tcp://b:1', DOCKER_TLS_VERIFY: '' }).source, 'env');
  });

  it('gives the ssh error for an ssh DOCKER_HOST', () => {
    assert.throws(() => resolveDockerHost(undefined, { DOCKER_HOST: 'ssh://me@box' }), /ssh:\/\/ is not supported/);
  });
});
