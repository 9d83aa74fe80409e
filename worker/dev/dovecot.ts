// A real IMAP server for the replies tests and the bench (development only): Debian's Dovecot, run from a temporary folder on
// free ports (IMAP and LMTP), one passwd-file user, Maildir, '+' as recipient delimiter. Test
// mail is delivered over LMTP (nodemailer, lmtp: true), as a mail server would. Dovecot will
// not run its login processes as root, so as root it runs as nobody:nogroup.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { freePort, ROOT } from './processes';
import { waitFor } from './wait';

/** scripts/ensure-dovecot.js from the checkout (not part of the compiled build). */
function ensureDovecot(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.join(ROOT, 'scripts', 'ensure-dovecot.js')) as { ensureDovecot: () => string }).ensureDovecot();
}

export const USER = 'april';
export const PASSWORD = 'secret-imap-password';
export const DOMAIN = 'example.gov.uk';


function idOf(name: string, db: 'passwd' | 'group'): number {
  const line = fs.readFileSync(`/etc/${db}`, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} in /etc/${db}`);
  return Number(line.split(':')[2]);
}

export class Dovecot {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-dovecot-'));
  imapPort = 0;
  lmtpPort = 0;
  private child?: ChildProcess;
  private readonly root = process.getuid?.() === 0;
  private readonly uid = this.root ? idOf('nobody', 'passwd') : process.getuid!();
  private readonly gid = this.root ? idOf('nogroup', 'group') : process.getgid!();
  private readonly user = this.root ? 'nobody' : os.userInfo().username;

  get imapUrl(): string {
    return `imap://${USER}:${PASSWORD}@127.0.0.1:${this.imapPort}/INBOX`;
  }

  get maildir(): string {
    return path.join(this.dir, 'home', USER, 'Maildir');
  }

  async start(): Promise<this> {
    const bin = ensureDovecot();
    if (!this.imapPort) {
      this.imapPort = await freePort();
      this.lmtpPort = await freePort();
    }
    const group = this.root ? 'nogroup' : (spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim() || 'nogroup');
    fs.mkdirSync(path.join(this.dir, 'home'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'passwd'), `${USER}:{PLAIN}${PASSWORD}::::::\n`);
    fs.writeFileSync(
      path.join(this.dir, 'dovecot.conf'),
      [
        `base_dir = ${this.dir}/run`,
        `state_dir = ${this.dir}/state`,
        `log_path = ${this.dir}/dovecot.log`,
        `protocols = imap lmtp`,
        `listen = 127.0.0.1`,
        `ssl = no`,
        `disable_plaintext_auth = no`,
        `auth_mechanisms = plain login`,
        `default_login_user = ${this.user}`,
        `default_internal_user = ${this.user}`,
        `default_internal_group = ${group}`,
        `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%n ${this.dir}/passwd\n}`,
        `userdb {\n  driver = static\n  args = uid=${this.uid} gid=${this.gid} home=${this.dir}/home/%n\n}`,
        `mail_location = maildir:~/Maildir`,
        `recipient_delimiter = +`,
        `lmtp_save_to_detail_mailbox = no`,
        // Not root: no chroot for the login and anvil processes.
        `service anvil {\n  chroot =\n}`,
        `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${this.imapPort}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
        `service lmtp {\n  inet_listener lmtp {\n    address = 127.0.0.1\n    port = ${this.lmtpPort}\n  }\n}`,
        `service imap {\n  user = ${this.user}\n}`,
        `service auth {\n  user = ${this.user}\n}`,
        `service auth-worker {\n  user = ${this.user}\n}`,
        `service stats {\n  user = ${this.user}\n}`,
        `service log {\n  user = ${this.user}\n}`,
        `service config {\n  user = ${this.user}\n}`,
        `service dict {\n  user = ${this.user}\n}`,
        `service lmtp {\n  user = ${this.user}\n}`,
        '',
      ].join('\n'),
    );
    if (this.root) spawnSync('chown', ['-R', `${this.uid}:${this.gid}`, this.dir]);
    this.child = spawn(bin, ['-F', '-c', path.join(this.dir, 'dovecot.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(this.root ? { uid: this.uid, gid: this.gid } : {}),
    });
    let output = '';
    this.child.stdout!.on('data', (d) => (output += d));
    this.child.stderr!.on('data', (d) => (output += d));
    const child = this.child;
    await waitFor(
      'dovecot to listen',
      async () => {
        if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${output}${this.log()}`);
        return (await canConnect(this.imapPort)) && (await canConnect(this.lmtpPort));
      },
      15_000,
      50,
    );
    return this;
  }

  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Delivers a raw message over LMTP, as a mail server would. */
  async deliver(raw: string | Buffer, opts: { to?: string; from?: string | false } = {}): Promise<void> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: this.lmtpPort, lmtp: true, secure: false, ignoreTLS: true } as never);
    try {
      await transport.sendMail({
        envelope: { from: opts.from === false ? '' : (opts.from ?? 'sender@example.org'), to: opts.to ?? `${USER}@${DOMAIN}` },
        raw,
      });
    } finally {
      transport.close();
    }
  }

  /** A new UIDVALIDITY: the server forgets its UIDs (as after a mailbox restore), so every message gets a new one. */
  async resetUids(): Promise<void> {
    await this.stop();
    for (const f of fs.readdirSync(this.maildir)) {
      if (f === 'dovecot-uidlist' || f.startsWith('dovecot.index')) fs.rmSync(path.join(this.maildir, f), { force: true });
    }
    await this.start();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
