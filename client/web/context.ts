// What every area plugin of the dashboard shares (see the header of server.ts): the settings and
// services built once from the options (`Web`), the page context each view needs, the one-time
// flash, and small helpers for reading forms and sending pages. An area plugin gets `{ web }` as
// its options: `app.register(letterRoutes, { web })`.
import type { Client } from '@temporalio/client';
import type { DocumentStore } from '../../activities/document-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserDirectory } from '../users';
import type { Session } from './auth';
import type { PageContext } from './layout';
import type { Outbox } from './outbox';
import type { Sessions } from './sessions';
import { errorPage } from './views';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in (set by the auth plugin's onRequest hook, auth-routes.ts). */
    signedIn: Session | null;
  }
}

/** The dashboard's settings and services, built once by buildWebApp. */
export interface Web {
  client: Client;
  /** The time zone dates and times are shown in. */
  tz: string;
  /** Letters per register page. */
  pageSize: number;
  /** The users file (hashed passwords). */
  usersFile: string;
  users: UserDirectory;
  sessions: Sessions;
  /** Cookies get Secure (served behind TLS). */
  secure: boolean;
  /** The local mail sink's messages, when the dashboard has an outbox folder. */
  outbox?: Outbox;
  /** Absolute folders whose sub-folders are round folders leads may start. */
  roundsDirs: string[];
  /** The document store's folder (replies' raw mail and attachments, published documents). */
  documentsDir?: string;
  /** The document store itself: published documents are copied from it. */
  documents: DocumentStore;
  /** The folder the Publish page writes to; absent: preview only. */
  publishDir?: string;
}

/** The options every area plugin is registered with. */
export interface AreaOptions {
  web: Web;
}

/** A parsed form body or query string. */
export type Body = Record<string, string | string[] | undefined>;

/** One value of a form field or query parameter ('' when absent; the first when repeated). */
export function str(v: unknown): string {
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

/** Every value of a repeated form field. */
export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A request URL without its query string. */
export function pathOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}

/** What every page's layout needs: who is signed in, a CSRF token for its forms, the flash. */
export function pageContext(web: Web, req: FastifyRequest, reply: FastifyReply, flash?: string): PageContext {
  return {
    session: req.signedIn,
    csrf: reply.generateCsrf({ userInfo: req.signedIn?.id ?? 'signed-out' }),
    outbox: !!web.outbox,
    path: pathOf(req.url),
    flash,
  };
}

/** The one-time message left for this person by the request before (then forgotten). */
export async function takeFlash(web: Web, req: FastifyRequest): Promise<string | undefined> {
  const flash = req.signedIn?.flash;
  if (req.signedIn && flash !== undefined) {
    delete req.signedIn.flash;
    await web.sessions.save(req.signedIn);
  }
  return flash;
}

/** Sends a page of HTML with this status. */
export function send(reply: FastifyReply, code: number, body: string) {
  return reply.code(code).type('text/html; charset=utf-8').send(body);
}

/** Sends the error page: a title and one sentence saying what to do. */
export function sendError(web: Web, req: FastifyRequest, reply: FastifyReply, code: number, title: string, message: string) {
  return send(reply, code, errorPage(pageContext(web, req, reply), title, message));
}
