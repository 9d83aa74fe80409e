#!/usr/bin/env node
// Makes sure Dovecot (IMAP + LMTP) is there for the replies tests (test/support/dovecot.ts),
// like ensure-chromium.js: silent when /usr/sbin/dovecot exists; installs Debian's
// dovecot-imapd and dovecot-lmtpd when we run as root with apt-get; otherwise fails saying how.
// The packages' own service is not started (the tests run their own Dovecot on free ports).
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const DOVECOT = '/usr/sbin/dovecot';
const HOW = 'Install Dovecot, then run the tests again:\n  Debian/Ubuntu:  sudo apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd';

function ensureDovecot() {
  if (fs.existsSync(DOVECOT)) return DOVECOT;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) throw new Error(`Dovecot is not installed at ${DOVECOT} (the replies tests need it).\n${HOW}`);
  console.log('ensure-dovecot: installing Debian\'s dovecot-imapd and dovecot-lmtpd (apt-get)');
  for (const args of [['-q', 'update'], ['-q', 'install', '-y', '--no-install-recommends', 'dovecot-imapd', 'dovecot-lmtpd']]) {
    // policy-rc.d keeps the package's own service from starting; apt says so and goes on.
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}\n${HOW}`);
  }
  if (!fs.existsSync(DOVECOT)) throw new Error(`apt-get installed Dovecot but ${DOVECOT} is missing.\n${HOW}`);
  return DOVECOT;
}

module.exports = { ensureDovecot, DOVECOT };

if (require.main === module) {
  try {
    ensureDovecot();
  } catch (err) {
    console.error(`ensure-dovecot: ${err.message}`);
    process.exit(1);
  }
}
