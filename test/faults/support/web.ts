// The dashboard, if client/web/server.ts has a working startWebServer, and just enough of a
// browser to use it: cookies, CSRF tokens from forms, no redirects followed.
import path from 'node:path';
import type { Client } from '@temporalio/client';
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
    startWebServer = (require('../../../client/web/server') as { startWebServer?: StartWebServer }).startWebServer;
    addUser = (require('../../../client/users') as { addUser?: AddUser }).addUser;
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

export interface Reply {
  status: number;
  text: string;
  location: string | null;
  ms: number;
}

export class Agent {
  private readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*max-age=0\b/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(p: string): Promise<Reply> {
    const t = performance.now();
    const res = await fetch(this.base + p, { redirect: 'manual', headers: { cookie: this.cookie() }, signal: AbortSignal.timeout(60_000) });
    this.keep(res);
    const text = await res.text();
    return { status: res.status, text, location: res.headers.get('location'), ms: performance.now() - t };
  }

  async post(p: string, form: Record<string, string | string[]>): Promise<Reply> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const t = performance.now();
    const res = await fetch(this.base + p, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    this.keep(res);
    const text = await res.text();
    return { status: res.status, text, location: res.headers.get('location'), ms: performance.now() - t };
  }

  /** The CSRF token of the first form on a page. */
  async csrf(p: string): Promise<string> {
    const page = await this.get(p);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on ${p} (status ${page.status})`);
    return token;
  }

  async signIn(name: string, password: string): Promise<void> {
    const _csrf = await this.csrf('/login');
    const r = await this.post('/login', { _csrf, name, password, next: '/' });
    if (r.status !== 303 && r.status !== 302) throw new Error(`sign-in as ${name} answered ${r.status}`);
  }
}
