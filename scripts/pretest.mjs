// Installs the Debian packages the tests use, when missing: quietly with apt-get as root; otherwise prints
// the exact command and stops. Idempotent: with everything present it only checks.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Packages the test suite runs: curl (the README's commands, run as written), openssl (TLS test certificates),
 * prometheus (its prometheus and promtool binaries are the oracles for the TSDB's on-disk formats),
 * prometheus-node-exporter (a real target for the scraper), docker.io and busybox-static (the real containers of
 * ../shared/containers/start-test-containers.sh: a private dockerd, and an image built from the static busybox;
 * docker.io pulls in containerd, runc and iptables), chromium (headless, for the web UI's browser tests),
 * prometheus-alertmanager (the oracle for alert routing, grouping and notifications, and its amtool),
 * modsecurity-crs (Debian's Core Rule Set 3, which the WAF must load as users have it).
 */
const packages = [
  'curl',
  'openssl',
  'prometheus',
  'prometheus-node-exporter',
  'docker.io',
  'busybox-static',
  'chromium',
  'prometheus-alertmanager',
  'modsecurity-crs',
];
/**
 * Units of packages that ship a daemon: the tests start their own, so the system services stay off (:9090, :9093,
 * :9100, /var/run/docker.sock; containerd comes with docker.io).
 */
const services = {
  prometheus: ['prometheus'],
  'prometheus-node-exporter': ['prometheus-node-exporter'],
  'docker.io': ['docker.socket', 'docker', 'containerd'],
  'prometheus-alertmanager': ['prometheus-alertmanager'],
};

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
if (!hasDpkg) {
  console.error(`pretest: not a Debian system; install these packages by hand: ${packages.join(' ')}`);
  process.exit(1);
}
const missing = packages.filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);

const command = `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(
    `pretest: the tests need Debian packages that are missing: ${missing.join(' ')}\nrun:\n  sudo sh -c '${command}'`,
  );
  process.exit(1);
}
console.error(`pretest: installing ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
// Keep the daemons the packages ship from starting now (policy-rc.d) and at boot (systemctl disable).
const policy = '/usr/sbin/policy-rc.d';
const hadPolicy = existsSync(policy);
if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
try {
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
} finally {
  if (!hadPolicy) rmSync(policy, { force: true });
}
const systemctl = spawnSync('systemctl', ['--version']).status === 0;
for (const pkg of missing) {
  for (const unit of systemctl ? (services[pkg] ?? []) : []) {
    spawnSync('systemctl', ['disable', '--now', unit], { stdio: 'ignore' });
  }
}
const still = missing.filter((p) => !installed(p));
if (still.length > 0) {
  console.error(`pretest: apt-get did not install: ${still.join(' ')}`);
  process.exit(1);
}
