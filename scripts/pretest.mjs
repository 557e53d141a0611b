// Installs the Debian packages the tests use, when missing: quietly with apt-get as root; otherwise prints
// the exact command and stops. Idempotent: with everything present it only checks.
import { execFileSync, spawnSync } from 'node:child_process';

/** Packages the test suite runs: curl (the README's commands, run as written), openssl (TLS test certificates). */
const packages = ['curl', 'openssl'];

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
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env,
});
const still = missing.filter((p) => !installed(p));
if (still.length > 0) {
  console.error(`pretest: apt-get did not install: ${still.join(' ')}`);
  process.exit(1);
}
