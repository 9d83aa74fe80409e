// A local SMTP server that keeps every message it accepts as an .eml file (var/outbox/ by
// default). `npm start` runs it when SMTP_URL is not set; tests run it to read what was sent.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  file: string;
  raw: Buffer;
  messageId: string | undefined;
  from: string | undefined;
  recipients: string[];
}

export interface MailSinkOptions {
  dir: string;
  port?: number; // 0: any free port
  host?: string;
  /** Recipients to refuse with 550 (a permanent failure), to see how the system handles it. */
  refuse?: RegExp;
  /**
   * Mail the workers did not send (it has no X-Request-Rounds-Letter header): a reply to the
   * coordinator, in the embedded setup. `npm start` files it through the mailbox workflow.
   */
  incoming?: (raw: Buffer) => void;
}

export class MailSink extends EventEmitter {
  readonly messages: SinkMessage[] = [];
  private server: SMTPServer;
  private count = 0;
  port = 0;

  constructor(private readonly opts: MailSinkOptions) {
    super();
    fs.mkdirSync(opts.dir, { recursive: true });
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        if (this.opts.refuse?.test(address.address)) {
          const err = Object.assign(new Error(`mailbox ${address.address} does not exist`), { responseCode: 550 });
          callback(err);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          try {
            const raw = Buffer.concat(chunks);
            callback(null, this.store(raw, session.envelope));
          } catch (err) {
            callback(err as Error);
          }
        });
      },
    });
    this.listenForErrors();
  }

  // A client that drops the connection mid-message (a worker killed while sending) makes the
  // SMTP server emit 'error'; unhandled, that would take down the process hosting the sink
  // (under `npm start`, the whole service). The message was not accepted, so the sender retries.
  private listenForErrors(): void {
    this.server.on('error', (err: Error) => this.emit('connectionError', err));
  }

  get url(): string {
    return `smtp://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private store(raw: Buffer, envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] }): string {
    const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('utf8').split(/\r?\n\r?\n/)[0];
    const messageId = /^message-id:\s*(<[^>\r\n]*>)/im.exec(head)?.[1];
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeId = (messageId ?? 'no-id').replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 150);
    const file = path.join(this.opts.dir, `${stamp}-${++this.count}-${safeId}.eml`);
    fs.writeFileSync(file, raw);
    const message: SinkMessage = {
      file,
      raw,
      messageId,
      from: envelope.mailFrom ? envelope.mailFrom.address : undefined,
      recipients: envelope.rcptTo.map((r) => r.address),
    };
    this.messages.push(message);
    if (this.opts.incoming && !/^x-request-rounds-letter:/im.test(head)) {
      // As a mail server's local delivery does (Dovecot's LMTP): Delivered-To names the envelope
      // recipient, so a reply sent to coordinator+<round>.<letter>@... (replyTag: plus) carries its tag
      // even when its To: header does not.
      const deliveredTo = envelope.rcptTo.filter((r) => !/[\r\n]/.test(r.address)).map((r) => `Delivered-To: ${r.address}\r\n`).join('');
      this.opts.incoming(Buffer.concat([Buffer.from(deliveredTo), raw]));
    }
    this.emit('message', message);
    return `queued as ${path.basename(file)}`;
  }
}
