// The staff dashboard: server-rendered HTML over Fastify, one plugin per area. It reads letters
// through the named visibility queries (client/queries.ts), whose rows carry each letter's
// recipient and requested documents in its memo (client/letter-memo.ts); a letter's own page,
// the CSV export and register rows of letters started without a memo use the letter's status
// query. It changes letters only through the workflow's updates (updateLetter), so a rejected
// request changes nothing and the person sees the workflow's own message.
//
// This file keeps only what is the whole site's: the options, the security plugins (helmet,
// cookies, forms, CSRF, rate limit), the error and not-found pages, the stylesheet, and the list
// of areas. Each area is one file with its routes and form handling (its views stay in *-view.ts):
//   auth-routes.ts     GET/POST /login, POST /logout, and the session hook every request passes
//                      (fastify-plugin: its hook and `req.signedIn` apply to every area)
//   rounds-routes.ts   GET /                                rounds: counts by state, progress
//                      GET /rounds/:roundId                 the register: ?q=<search>&state=<state>|overdue&sort=next|letter|recipient|organisation|state|outstanding&dir=asc|desc&page=N
//                                                           (filter, sort, page: client/register.ts)
//                      GET /rounds/:roundId/export.csv      the register as CSV (client/export.ts)
//   letter-routes.ts   GET  /letters/:roundId/:letterId     one letter
//                      POST /letters/:roundId/:letterId/:form  receipt | decline | extend | pause | resume | withdraw | note (staff and leads)
//   publication-routes.ts  POST /letters/:roundId/:letterId/publication[/close]  publish or not; close a finished letter's window (staff and leads)
//                      POST .../publication/attach | redacted (uploads)  a document received by post or by hand; a redacted copy to publish
//   publish-routes.ts  GET /rounds/:roundId/publish[/preview/*], POST /rounds/:roundId/publish  the round's site previewed, written to publishDir (leads only)
//   start-routes.ts    GET /start, GET/POST /start/:folder  starting a round folder from roundsDirs (leads only)
//   outbox-routes.ts   GET /outbox, /outbox/:file, /outbox/:file/raw   the local mail sink's messages (only with outboxDir)
//   deadlines-routes.ts GET/POST /calendar (leads), POST /rounds/:roundId/actions (the register's round-wide form),
//                      GET /organisations/:name (statistics); the rounds page's statistics table is its view too
//   inbox-routes.ts    GET /inbox, /inbox/reply/:roundId/:letterId?m=, /inbox/document/:sha256 (staff and leads);
//                      POST /inbox/triage | file | dismiss | correct-address   replies in (issue 13)
//                      POST /inbox/import (upload)   file an email (.eml), as `rounds inbox import`
// Uploads (multipart) are accepted only by the routes registered through uploads.ts, whose forms
// carry the CSRF token in their action's query; files up to 50 MB (the document store's limit).
//   here               GET /static/style.css
// All but /login and the stylesheet need a signed-in user.
//
// TO ADD AN AREA (e.g. inbox): write ONE file, client/web/<area>-routes.ts, exporting
//   export const inboxRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
//     app.get('/inbox', async (req, reply) => send(reply, 200, inboxPage(pageContext(web, req, reply), ...)));
//   };
// (its views in <area>-view.ts), and add ONE line to the list of areas in buildWebApp below:
//   await app.register(inboxRoutes, { web });
// `web` (context.ts) has the Temporal client, time zone, sessions, users, outbox, roundsDirs;
// context.ts also has pageContext (what every view's layout needs, with the CSRF token), takeFlash,
// send, sendError and the form readers str/list. Sign-in, CSRF on every POST, no-store and the
// error pages apply to the new area without any code in it; a role check that covers a whole area
// is a preHandler hook inside its plugin (see start-routes.ts), which stays encapsulated there.
// Wrap a plugin in fastify-plugin only if its hooks or decorators must reach other areas (as auth's).
// A new setting: add it to WebServerOptions and to `Web` in context.ts, and set it where `web` is built.
//
// Security: sessions are server-side (sessions.ts) behind a signed, HttpOnly, SameSite=Lax
// cookie (Secure with secureCookies), and every request checks its user against the users file
// as it is now (auth-routes.ts); every POST needs a CSRF token (@fastify/csrf-protection, bound
// to the session); sign-in is throttled per name and per address and rate-limited; helmet sets
// the security headers and a CSP that allows no scripts at all; every value from letters or
// staff is escaped by `html`. A round folder is named only by its own name, which must be one a
// scan of roundsDirs finds now (round-folders.ts): nothing from a request becomes a path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { describeError, NotFoundError, UserError } from '../errors';
import { UserDirectory } from '../users';
import { authRoutes } from './auth-routes';
import { pathOf, sendError, type Body, type Web } from './context';
import { deadlinesRoutes } from './deadlines-routes';
import { DEFAULT_TIMEZONE } from './format';
import { inboxRoutes } from './inbox-routes';
import { letterRoutes } from './letter-routes';
import { Outbox } from './outbox';
import { outboxRoutes } from './outbox-routes';
import { publicationRoutes } from './publication-routes';
import { publishRoutes } from './publish-routes';
import { DocumentStore, documentsDir } from '../../activities/document-store';
import { varDir } from '../users';
import { roundsRoutes } from './rounds-routes';
import { MemorySessions, type Sessions } from './sessions';
import { startRoutes } from './start-routes';

export { safeNext } from './auth-routes';

export interface WebServerOptions {
  client: Client;
  port: number;
  host?: string;
  /** Where the local mail sink keeps .eml files (development); the outbox page reads it. */
  outboxDir?: string;
  /** The users file (hashed passwords), created by `rounds user add`. */
  usersFile: string;
  /** Set when served behind TLS: cookies get Secure (and HSTS, upgrade-insecure-requests are sent). */
  secureCookies?: boolean;
  /** The time zone dates and times are shown in (default Europe/London). */
  timezone?: string;
  /** Secret that signs the cookies; the session store's shared one, else a random one per process (sessions in memory). */
  cookieSecret?: string;
  /** Where sessions live (client/web/sessions.ts); in this process's memory by default. */
  sessions?: Sessions;
  /** Trust X-Forwarded-For from a reverse proxy in front (for the sign-in throttle's address). */
  trustProxy?: boolean;
  /** Letters per register page (default 50). */
  pageSize?: number;
  /** Fastify's log (pino options; default off). `rounds serve` logs errors, with their stacks. */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /**
   * Folders whose sub-folders are round folders (each with round.yaml) that leads may start
   * from the dashboard (GET /start). None by default: the page then says none are configured.
   */
  roundsDirs?: string[];
  /** The document store published documents are copied from (default: the service's, var/documents or ROUNDS_DOCUMENTS_DIR). */
  documentsDir?: string;
  /** The folder the Publish page writes a round's site to (ROUNDS_PUBLISH_DIR); without it the page only previews. */
  publishDir?: string;
}

/**
 * What went wrong, in one line without a stack: the error's message and those of its causes
 * (a Temporal ServiceError says what it was doing; its gRPC cause says why, e.g.
 * "14 UNAVAILABLE: No connection established").
 */
export function failureText(thrown: unknown): string {
  return describeError(thrown, 'it failed without saying why (the dashboard’s log has the details)');
}

export async function buildWebApp(opts: WebServerOptions): Promise<FastifyInstance> {
  const secure = !!opts.secureCookies;
  const sessions: Sessions = opts.sessions ?? new MemorySessions();
  const secret = opts.cookieSecret ?? sessions.cookieSecret ?? crypto.randomBytes(32).toString('hex');
  const web: Web = {
    client: opts.client,
    tz: opts.timezone ?? DEFAULT_TIMEZONE,
    pageSize: opts.pageSize ?? 50,
    usersFile: opts.usersFile,
    users: new UserDirectory(opts.usersFile),
    sessions,
    secure,
    outbox: opts.outboxDir ? new Outbox(opts.outboxDir) : undefined,
    roundsDirs: (opts.roundsDirs ?? []).map((d) => path.resolve(d)),
    documentsDir: path.resolve(opts.documentsDir ?? documentsDir(varDir())),
    documents: new DocumentStore(opts.documentsDir ?? documentsDir(varDir())),
    ...(opts.publishDir ? { publishDir: path.resolve(opts.publishDir) } : {}),
  };
  const css = fs.readFileSync(path.join(__dirname, 'style.css'));

  const app = Fastify({ logger: opts.logger ?? false, trustProxy: opts.trustProxy ?? false, bodyLimit: 256 * 1024 });

  // ---------------------------------------------------------------- security
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        frameSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secure ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyCookie, { secret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'rounds_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure },
    getUserInfo: (req: FastifyRequest) => req.signedIn?.id ?? 'signed-out',
    getToken: (req: FastifyRequest) => {
      // A file upload (multipart, uploads.ts) carries its token in the query: it is checked
      // before any of the body is read. Every other form carries it as a field.
      const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
      const t = multipart ? (req.query as Body | undefined)?._csrf : (req.body as Body | undefined)?._csrf;
      return typeof t === 'string' ? t : undefined;
    },
    csrfOpts: { hmacKey: secret, userInfo: true },
  });
  await app.register(fastifyRateLimit, { global: false });

  // Every POST carries the CSRF token of a page this site rendered for this session.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'POST') return app.csrfProtection(req, reply, done);
    done();
  });

  // Pages are personal: never cache them (so Back after sign-out shows nothing).
  app.addHook('onSend', async (req, reply, payload) => {
    if (!pathOf(req.url).startsWith('/static/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // ---------------------------------------------------------------- error pages
  app.setNotFoundHandler((req, reply) => sendError(web, req, reply, 404, 'Page not found', 'There is no page at this address.'));

  // Anything thrown becomes a page: a Fastify or plugin error (string code, statusCode), a
  // gRPC error from Temporal (numeric code), or a value that is not an Error at all.
  app.setErrorHandler((thrown: unknown, req, reply) => {
    const err = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as { code?: unknown; statusCode?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    const statusCode = typeof err.statusCode === 'number' ? err.statusCode : 0;
    if (code.startsWith('FST_CSRF')) {
      return sendError(web, req, reply, 403, 'Form refused', 'This form could not be accepted: it has expired or did not come from this dashboard. Go back, reload the page and try again.');
    }
    if (statusCode === 429) {
      return sendError(web, req, reply, 429, 'Too many requests', 'Too many requests. Wait a minute, then try again.');
    }
    // No such round, letter or file: 404. Any other UserError is a refusal (a rule of the letter, bad
    // input): 422 with its message; the form pages catch theirs and show them beside the form.
    if (thrown instanceof NotFoundError) return sendError(web, req, reply, 404, 'Not found', thrown.message);
    if (thrown instanceof UserError) return sendError(web, req, reply, 422, 'Refused', thrown.message);
    if (statusCode >= 400 && statusCode < 500) {
      return sendError(web, req, reply, statusCode, 'Request refused', typeof err.message === 'string' ? err.message : 'The request was not understood.');
    }
    // The person sees what failed and why (Temporal's own cause), the log gets the stack.
    req.log.error({ err: thrown }, 'request failed');
    return sendError(web, req, reply, 500, 'Something went wrong', `The dashboard could not do that: ${failureText(thrown)}`);
  });

  app.get('/static/style.css', (_req, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(css));

  // ---------------------------------------------------------------- the areas (one line each; see the header)
  // After every hook and handler above: a plugin's routes keep the error handler and the root
  // hooks there are when it is registered. Auth comes first (its onRequest hook sets req.signedIn).
  await app.register(authRoutes, { web });
  await app.register(roundsRoutes, { web });
  await app.register(letterRoutes, { web });
  await app.register(publicationRoutes, { web });
  await app.register(publishRoutes, { web });
  await app.register(startRoutes, { web });
  await app.register(outboxRoutes, { web });
  await app.register(deadlinesRoutes, { web });
  await app.register(inboxRoutes, { web });

  return app;
}

export async function startWebServer(opts: WebServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildWebApp(opts);
  await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const host = typeof address === 'object' && address ? address.address : (opts.host ?? '127.0.0.1');
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    close: () => app.close(),
  };
}
