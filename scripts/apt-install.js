// Installs Debian packages that a test suite needs (chromium, Dovecot, PostgreSQL), the one way
// the ensure-*.js scripts share: only as root on a machine with apt-get, without recommended
// packages, non-interactive, quiet unless apt fails (then everything it printed is shown).
'use strict';
const { spawnSync } = require('node:child_process');

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Whether this process may install packages: root, with apt-get. `isRoot` is for tests. */
function canAptInstall(isRoot = typeof process.getuid === 'function' && process.getuid() === 0) {
  return isRoot && commandExists('apt-get');
}

/** Runs cmd quietly; on failure throws with everything it printed, then `howToInstall`. */
function run(cmd, args, howToInstall) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) {
    const output = [r.stdout, r.stderr, r.error?.message].filter(Boolean).join('\n').trim();
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${output}\n${howToInstall}`);
  }
}

/** apt-get update, then install `packages` without recommended ones. */
function aptInstall(packages, howToInstall) {
  run('apt-get', ['-q', 'update'], howToInstall);
  run('apt-get', ['-q', 'install', '-y', '--no-install-recommends', ...packages], howToInstall);
}

module.exports = { aptInstall, canAptInstall };
