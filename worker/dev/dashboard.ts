// The dashboard in this process for the bench and the fault tests (development only), if
// client/web/server.ts has a working startWebServer, and the agent that uses it.
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { WebAgent, type HttpResult } from './web-agent';
import { tempDir } from './processes';

export interface Dashboard {
  url: string;
  passwords: Record<string, string>;
  close(): Promise<void>;
}

type StartWebServer = (o: Record<string, unknown>) => Promise<{ url: string; close(): Promise<void> }>;
type AddUser = (file: string, name: string, role: string) => Promise<{ password: string }>;

/** Starts the dashboard on 127.0.0.1 (free port) with the given users, or says why it cannot. */
export async function startDashboard(client: Client, users: [name: string, role: string][]): Promise<Dashboard | { unavailable: string }> {
  let startWebServer: StartWebServer | undefined;
  let addUser: AddUser | undefined;
  try {
    startWebServer = (require('../../client/web/server') as { startWebServer?: StartWebServer }).startWebServer;
    addUser = (require('../../client/users') as { addUser?: AddUser }).addUser;
  } catch (err) {
    return { unavailable: `client/web/server.ts cannot be loaded: ${(err as Error).message.split('\n')[0]}` };
  }
  if (typeof startWebServer !== 'function' || typeof addUser !== 'function') return { unavailable: 'client/web/server.ts exports no startWebServer' };
  const usersFile = path.join(tempDir('rounds-faults-users-'), 'users.json');
  const passwords: Record<string, string> = {};
  for (const [name, role] of users) passwords[name] = (await addUser(usersFile, name, role)).password;
  const web = await startWebServer({ client, port: 0, host: '127.0.0.1', usersFile });
  return { url: web.url, passwords, close: web.close };
}

/** The web agent (./web-agent.ts) with `csrf` and a sign-in that throws, as the fault tests and the bench use them. */
export class Agent extends WebAgent {
  csrf(p: string): Promise<string> {
    return this.csrfFrom(p);
  }

  override async signIn(name: string, password: string): Promise<HttpResult> {
    const r = await super.signIn(name, password);
    if (r.status !== 303 && r.status !== 302) throw new Error(`sign-in as ${name} answered ${r.status}`);
    return r;
  }
}
