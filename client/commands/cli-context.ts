// What every command module gets from the program (client/cli.ts): where to write, the global
// options, and one Temporal client, connected on first use and closed when the command ends.
import os from 'node:os';
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { connectClient, temporalSettings, type TemporalSettings } from '../../worker/connection';
import { SystemError } from '../errors';
import { NO_WORKER, workerPolling } from '../letters';
import { terminalSafe } from '../terminal-format';

/** The program's global options. */
export interface Globals {
  address?: string;
  namespace?: string;
}

export class CliContext {
  /** The Temporal settings, once a command has needed them (the error handler names them). */
  settings?: TemporalSettings;
  private client?: Client;

  constructor(
    private readonly program: Command,
    readonly out: NodeJS.WritableStream,
    readonly err: NodeJS.WritableStream,
  ) {}

  /** For JSON and CSV: data, written as it is. */
  print = (s: string): void => {
    this.out.write(s.endsWith('\n') ? s : `${s}\n`);
  };

  /** For people: every line made safe for the terminal. */
  say = (s: string): void => this.print(s.split('\n').map(terminalSafe).join('\n'));

  globals(): Globals {
    return this.program.opts<Globals>();
  }

  /** --address and --namespace over TEMPORAL_* and the defaults (read once). */
  temporalSettings(): TemporalSettings {
    this.settings ??= temporalSettings(this.globals());
    return this.settings;
  }

  async getClient(): Promise<Client> {
    const settings = this.temporalSettings();
    this.client ??= await connectClient(settings);
    return this.client;
  }

  /**
   * Queries and updates wait for a worker: without one, `show` failed after 33 s and `receive`
   * hung for minutes. One cheap call first says so at once.
   */
  async needWorker(c: Client): Promise<void> {
    if ((await workerPolling(c)) === false) throw new SystemError(NO_WORKER);
  }

  /** The client, for a command that needs a worker to answer. */
  async workerClient(): Promise<Client> {
    const c = await this.getClient();
    await this.needWorker(c);
    return c;
  }

  /** Who did it: --by, else the user running the command. */
  by(o: { by?: string }): string {
    return o.by ?? os.userInfo().username;
  }

  async close(): Promise<void> {
    await this.client?.connection.close().catch(() => undefined);
  }
}
