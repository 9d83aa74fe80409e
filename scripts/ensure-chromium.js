#!/usr/bin/env node
// Makes sure a Chromium binary is there for the browser tests (playwright-core drives it;
// it downloads no browser of its own). Looks at ROUNDS_CHROMIUM_PATH first, then
// /usr/bin/chromium. When neither exists and we run as root on a machine with apt-get, it
// installs Debian's `chromium` package (saying so); otherwise it fails with how to install it.
//
// Used as `node scripts/ensure-chromium.js` (npm's pretest) and, from tests, as
// `require('../../scripts/ensure-chromium').chromiumPath()`.
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const DEFAULT_PATH = '/usr/bin/chromium';
const ENV_VAR = 'ROUNDS_CHROMIUM_PATH';

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function howToInstall() {
  return (
    `Install Chromium, then run the tests again:\n` +
    `  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n` +
    `  elsewhere:      install Chromium or Google Chrome and set ${ENV_VAR}=/path/to/chromium`
  );
}

/** The Chromium to use, without installing anything; throws with instructions when there is none. */
function chromiumPath() {
  const fromEnv = process.env[ENV_VAR];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${ENV_VAR} is set to ${fromEnv}, which is not an executable file.\n${howToInstall()}`);
    return fromEnv;
  }
  if (isExecutable(DEFAULT_PATH)) return DEFAULT_PATH;
  throw new Error(`Chromium is not installed at ${DEFAULT_PATH} (the browser tests need it).\n${howToInstall()}`);
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args) {
  console.log(`ensure-chromium: running ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).\n${howToInstall()}`);
}

/** chromiumPath(), installing Debian's chromium first when it is missing and we may (root + apt-get). */
function ensureChromium() {
  try {
    return chromiumPath();
  } catch (err) {
    if (process.env[ENV_VAR]) throw err;
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || !commandExists('apt-get')) throw err;
    console.log(`ensure-chromium: ${DEFAULT_PATH} is missing; installing Debian's chromium package with apt-get`);
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'chromium']);
    return chromiumPath();
  }
}

module.exports = { chromiumPath, ensureChromium, DEFAULT_PATH, ENV_VAR };

if (require.main === module) {
  try {
    const found = ensureChromium();
    console.log(`ensure-chromium: using ${found}`);
  } catch (err) {
    console.error(`ensure-chromium: ${err.message}`);
    process.exit(1);
  }
}
