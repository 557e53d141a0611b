import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerIdFromCgroup, isContainerId } from './cgroup-id.ts';

const id = '6985cfdfac2386c0ac6376df888d4f7072ce6a53ec804ba89e2efef81006001f';

describe('containerIdFromCgroup', () => {
  const cases: Array<[string, string | undefined]> = [
    [`/docker/${id}`, id],
    [`/docker/${id}/`, id],
    [`/system.slice/docker-${id}.scope`, id],
    [`/machine.slice/libpod-${id}.scope`, id],
    [`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${id}.scope`, id],
    [`/kubepods/burstable/pod0a1b2c3d-1111-2222-3333-444455556666/${id}`, id],
    [
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0a1b2c3d_1111.slice/cri-containerd-${id}.scope`,
      id,
    ],
    [`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/crio-${id}.scope`, id],
    [`/custom-parent/${id}`, id],
    // Not container cgroups.
    ['/', undefined],
    ['', undefined],
    ['/docker', undefined],
    ['/system.slice/cron.service', undefined],
    [`/system.slice/var-lib-docker-containers-${id}-mounts-shm.mount`, undefined],
    [`/docker/${id}/init.scope`, undefined],
    [`/machine.slice/libpod-conmon-${id}.scope`, undefined],
    [`/kubepods.slice/crio-conmon-${id}.scope`, undefined],
    [`/docker/${id.toUpperCase()}`, undefined],
    [`/docker/${id.slice(1)}`, undefined],
    [`/docker/${id}0`, undefined],
    [`/docker/x${id}`, id],
    [`/${'g'.repeat(64)}`, undefined],
  ];
  for (const [path, want] of cases) {
    it(`${path || '(empty)'} → ${want === undefined ? 'none' : 'the id'}`, () => {
      assert.equal(containerIdFromCgroup(path), want);
    });
  }
});

describe('isContainerId', () => {
  it('takes 64 lower-case hex digits only', () => {
    assert.equal(isContainerId(id), true);
    assert.equal(isContainerId(id.slice(12)), false);
    assert.equal(isContainerId(id.toUpperCase()), false);
    assert.equal(isContainerId(`${id.slice(1)}z`), false);
  });
});
