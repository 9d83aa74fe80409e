#!/usr/bin/env node
// Makes sure a Chromium binary is there for the browser tests (playwright-core drives it;
// it downloads no browser of its own). Looks at ROUNDS_CHROMIUM_PATH first, then
// /usr/bin/chromium. When neither exists and we run as root on a machine with apt-get, it
// installs Debian's `chromium` package (saying so in one line; apt's own output shows only
// if it fails); otherwise it fails with how to install it. Silent when Chromium is there.
//
// --no-install-recommends: headless Chromium needs only chromium's Depends (the libraries,
// and chromium-common); its Recommends (upower, udev, Mesa's GL drivers, fonts-liberation,
// a notification daemon, system-config-printer) are for a desktop and would pull in some
// hundred more packages. fontconfig's own dependency brings a font (DejaVu), which is all
// the browser tests' pages need.
//
// Used as `node scripts/ensure-chromium.js` (npm's pretest) and, from tests, as
// `require('../../scripts/ensure-chromium').chromiumPath()`.
'use strict';
const fs = require('node:fs');
const { aptInstall, canAptInstall } = require('./apt-install');

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
    `  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n` +
    `  elsewhere:      install Chromium or Google Chrome and set ${ENV_VAR}=/path/to/chromium`
  );
}

/** The Chromium to use, without installing anything; throws with instructions when there is none. */
function chromiumPath(defaultPath = DEFAULT_PATH) {
  const fromEnv = process.env[ENV_VAR];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${ENV_VAR} is set to ${fromEnv}, which is not an executable file.\n${howToInstall()}`);
    return fromEnv;
  }
  if (isExecutable(defaultPath)) return defaultPath;
  throw new Error(`Chromium is not installed at ${defaultPath} (the browser tests need it).\n${howToInstall()}`);
}

/**
 * chromiumPath(), installing Debian's chromium first when it is missing and we may (root +
 * apt-get). `opts` are for tests: where Chromium is looked for and whether we are root.
 */
function ensureChromium(opts = {}) {
  const defaultPath = opts.defaultPath ?? DEFAULT_PATH;
  try {
    return chromiumPath(defaultPath);
  } catch (err) {
    if (process.env[ENV_VAR]) throw err;
    if (!canAptInstall(opts.isRoot)) throw err;
    console.log(`ensure-chromium: ${defaultPath} is missing; installing Debian's chromium package (apt-get, without recommended packages)`);
    aptInstall(['chromium'], howToInstall());
    return chromiumPath(defaultPath);
  }
}

module.exports = { chromiumPath, ensureChromium, DEFAULT_PATH, ENV_VAR };

if (require.main === module) {
  try {
    ensureChromium();
  } catch (err) {
    console.error(`ensure-chromium: ${err.message}`);
    process.exit(1);
  }
}
