#!/usr/bin/env node
// Makes sure PostgreSQL's server programs (initdb, pg_ctl, postgres, psql) are there for
// `npm run test:cluster`, which runs its own PostgreSQL for the Temporal server. Looks at
// ROUNDS_POSTGRES_BIN first, then Debian's /usr/lib/postgresql/15/bin. When neither exists and
// we run as root on a machine with apt-get, installs Debian's postgresql-15 package (saying so);
// otherwise it fails with how to install it. Same shape as scripts/ensure-chromium.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { aptInstall, canAptInstall } = require('./apt-install');

const DEFAULT_BIN = '/usr/lib/postgresql/15/bin';
const ENV_VAR = 'ROUNDS_POSTGRES_BIN';
const PROGRAMS = ['initdb', 'pg_ctl', 'postgres', 'psql'];

function howToInstall() {
  return (
    `Install PostgreSQL 15, then run the cluster test again:\n` +
    `  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y --no-install-recommends postgresql-15\n` +
    `  elsewhere:      install PostgreSQL (12 or later) and set ${ENV_VAR}=/path/to/its/bin`
  );
}

function hasPrograms(dir) {
  return PROGRAMS.every((p) => {
    try {
      fs.accessSync(path.join(dir, p), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The folder with initdb, pg_ctl, postgres and psql, without installing anything. */
function postgresBin() {
  const fromEnv = process.env[ENV_VAR];
  if (fromEnv) {
    if (!hasPrograms(fromEnv)) throw new Error(`${ENV_VAR} is set to ${fromEnv}, which lacks one of ${PROGRAMS.join(', ')}.\n${howToInstall()}`);
    return fromEnv;
  }
  if (hasPrograms(DEFAULT_BIN)) return DEFAULT_BIN;
  throw new Error(`PostgreSQL is not installed at ${DEFAULT_BIN} (the cluster test needs it).\n${howToInstall()}`);
}

/** postgresBin(), installing Debian's postgresql-15 first when it is missing and we may (root + apt-get). */
function ensurePostgres() {
  try {
    return postgresBin();
  } catch (err) {
    if (process.env[ENV_VAR]) throw err;
    if (!canAptInstall()) throw err;
    console.log(`ensure-postgresql: ${DEFAULT_BIN} is missing; installing Debian's postgresql-15 package with apt-get`);
    aptInstall(['postgresql-15'], howToInstall());
    return postgresBin();
  }
}

module.exports = { postgresBin, ensurePostgres, DEFAULT_BIN, ENV_VAR };

if (require.main === module) {
  try {
    console.log(`ensure-postgresql: using ${ensurePostgres()}`);
  } catch (err) {
    console.error(`ensure-postgresql: ${err.message}`);
    process.exit(1);
  }
}
