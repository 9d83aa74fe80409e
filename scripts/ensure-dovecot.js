#!/usr/bin/env node
// Makes sure Dovecot (IMAP + LMTP) is there for the replies tests (worker/dev/dovecot.ts),
// like ensure-chromium.js: silent when /usr/sbin/dovecot exists; installs Debian's
// dovecot-imapd and dovecot-lmtpd when we run as root with apt-get; otherwise fails saying how.
// The packages' own service is not started (the tests run their own Dovecot on free ports).
'use strict';
const fs = require('node:fs');
const { aptInstall, canAptInstall } = require('./apt-install');

const DOVECOT = '/usr/sbin/dovecot';
const HOW = 'Install Dovecot, then run the tests again:\n  Debian/Ubuntu:  sudo apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd';

function ensureDovecot() {
  if (fs.existsSync(DOVECOT)) return DOVECOT;
  if (!canAptInstall()) throw new Error(`Dovecot is not installed at ${DOVECOT} (the replies tests need it).\n${HOW}`);
  console.log('ensure-dovecot: installing Debian\'s dovecot-imapd and dovecot-lmtpd (apt-get)');
  // The packages' own service is kept from starting by policy-rc.d; apt says so and goes on.
  aptInstall(['dovecot-imapd', 'dovecot-lmtpd'], HOW);
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
