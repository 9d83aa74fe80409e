// The staff dashboard: server-rendered HTML over Fastify. It reads letters through the named
// visibility queries (client/queries.ts), whose rows carry each letter's recipient and
// requested documents in its memo (client/letter-memo.ts); a letter's own page, the CSV export
// and register rows of letters started without a memo use the letter's status query. It
// changes letters only through the workflow's updates (updateLetter), so a rejected request
// changes nothing and the person sees the workflow's own message.
//
// Routes (all but /login and /static/ need a signed-in user):
//   GET  /                                 rounds: counts by state, progress
//   GET  /rounds/:roundId                  the register: ?q=<search>&state=<state>|overdue&sort=next|letter|state|outstanding&dir=asc|desc&page=N
//   GET  /rounds/:roundId/export.csv       the register as CSV (client/export.ts)
//   GET  /letters/:roundId/:letterId       one letter
//   POST /letters/:roundId/:letterId/:form receipt | decline | extend | pause | resume | withdraw | note (staff and leads)
//   GET  /outbox, /outbox/:file, /outbox/:file/raw   the local mail sink's messages (only with outboxDir)
//   GET  /start                            round folders (in roundsDirs) a lead can start (leads only)
//   GET  /start/:folder                    one folder checked as `rounds check` shows it, and the start form (leads only)
//   POST /start/:folder                    start its letters (letterInputs + startLetters, idempotent) (leads only)
//   GET  /login, POST /login, POST /logout
//   GET  /static/style.css
//
// Security: sessions are server-side in memory (see auth.ts) behind a signed, HttpOnly,
// SameSite=Lax cookie (Secure with secureCookies), and every request checks its user against
// the users file as it is now (removed: signed out; new role: applies; new password: the
// older sessions end); every POST needs a CSRF token
// (@fastify/csrf-protection, bound to the session); sign-in is throttled per name and per
// address (auth.ts) and rate-limited; helmet sets the security headers and a CSP that
// allows no scripts at all; every value from letters or staff is escaped by `html`. A round
// folder is named only by its own name, which must be one a scan of roundsDirs finds now
// (round-folders.ts): nothing from a request becomes a path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RoundPlan } from '../../domain/round';
import { isLetterState } from '../../domain/states';
import type { DeclinePayload, ExtendPayload, NotePayload, PausePayload, ReceiptPayload, ResumePayload, WithdrawPayload } from '../../domain/types';
import { workflowIdFor } from '../../workflows/letter-api';
import { describeError, SystemError, UserError } from '../errors';
import { exportRoundCsv, letterStatuses, statusOf } from '../export';
import { defaultSentOn, resolveSentOn, SentOnError } from '../../domain/start';
import { letterInputs, pdfLettersForSending, startLetters, updateLetter } from '../letters';
import { listLetters, queries, registerOrder, summarise, type LetterRow } from '../queries';
import { hasErrors } from '../round-folder';
import { CAN_RECORD, UserDirectory, verifyUser } from '../users';
import { LoginThrottle, stillValid, type Session } from './auth';
import { MemorySessions, type Sessions } from './sessions';
import { DEFAULT_TIMEZONE, todayIn } from './format';
import { formMessage } from './form-words';
import type { PageContext } from './layout';
import { LETTER_FORMS, letterPage, type FormValues, type LetterForm } from './letter-view';
import { Outbox } from './outbox';
import { outboxMessagePage, outboxPage } from './outbox-view';
import { findRoundFolder, isFolderName, loadForDisplay, scanRoundFolders } from './round-folders';
import { justStartedPage, roundCheckPage, startListPage, type StartForm } from './start-view';
import { errorPage, letterHref, loginPage, registerPage, roundHref, roundsPage, SORT_KEYS, STATE_ORDER, type RegisterRow, type SortKey } from './views';

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
}

declare module 'fastify' {
  interface FastifyRequest {
    signedIn: Session | null;
  }
}

const SESSION_COOKIE = 'rounds_session';
const PUBLIC_PATHS = new Set(['/login', '/static/style.css']);
const OUTBOX_PAGE_SIZE = 50;

type Body = Record<string, string | string[] | undefined>;

function str(v: unknown): string {
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

// Any origin of our own: only what it resolves to is compared, never the name.
const OWN_ORIGIN = 'http://dashboard.invalid';

/**
 * Only a path on this site may be a redirect target after sign-in. Browsers drop tabs and
 * line breaks from URLs and read '\' as '/', so '/\t/evil.org' would leave the site: a
 * target with any control character or backslash is refused, and what is left must resolve
 * to this origin. The path is returned as the URL parser normalised it ('/' when refused).
 */
export function safeNext(v: unknown): string {
  const s = str(v);
  if (!s.startsWith('/') || /[\u0000-\u001f\u007f-\u009f\\]/.test(s)) return '/';
  let url: URL;
  try {
    url = new URL(s, OWN_ORIGIN);
  } catch {
    return '/';
  }
  const target = url.pathname + url.search + url.hash;
  // '/.//evil.org' normalises to '//evil.org', which a browser reads as another host.
  if (url.origin !== OWN_ORIGIN || target.startsWith('//') || new URL(target, OWN_ORIGIN).origin !== OWN_ORIGIN) return '/';
  return target;
}

/**
 * What went wrong, in one line without a stack: the error's message and those of its causes
 * (a Temporal ServiceError says what it was doing; its gRPC cause says why, e.g.
 * "14 UNAVAILABLE: No connection established").
 */
export function failureText(thrown: unknown): string {
  return describeError(thrown, 'it failed without saying why (the dashboard’s log has the details)');
}

function pathOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}

export async function buildWebApp(opts: WebServerOptions): Promise<FastifyInstance> {
  const client = opts.client;
  const tz = opts.timezone ?? DEFAULT_TIMEZONE;
  const pageSize = opts.pageSize ?? 50;
  const secure = !!opts.secureCookies;
  const sessions: Sessions = opts.sessions ?? new MemorySessions();
  const secret = opts.cookieSecret ?? sessions.cookieSecret ?? crypto.randomBytes(32).toString('hex');
  const throttle = new LoginThrottle();
  const users = new UserDirectory(opts.usersFile);
  const outbox = opts.outboxDir ? new Outbox(opts.outboxDir) : undefined;
  const css = fs.readFileSync(path.join(__dirname, 'style.css'));
  const roundsDirs = (opts.roundsDirs ?? []).map((d) => path.resolve(d));

  const app = Fastify({ logger: opts.logger ?? false, trustProxy: opts.trustProxy ?? false, bodyLimit: 256 * 1024 });
  app.decorateRequest('signedIn', null);

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
      const t = (req.body as Body | undefined)?._csrf;
      return typeof t === 'string' ? t : undefined;
    },
    csrfOpts: { hmacKey: secret, userInfo: true },
  });
  await app.register(fastifyRateLimit, { global: false });

  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, signed: true };

  // Who is signed in; everything but sign-in and the stylesheet needs someone.
  // Each request checks the session against the users file as it is now (stillValid).
  app.addHook('onRequest', async (req, reply) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (raw) {
      const u = req.unsignCookie(raw);
      const session = u.valid && u.value ? await sessions.get(u.value) : undefined;
      if (session) {
        let role;
        try {
          role = stillValid(session, users);
        } catch (err) {
          throw new SystemError(`the users file cannot be read, so no one can be let in: ${(err as Error).message}`);
        }
        if (role) {
          session.role = role;
          req.signedIn = session;
        } else {
          await sessions.destroy(session.id);
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
        }
      }
    }
    if (PUBLIC_PATHS.has(pathOf(req.url)) || req.signedIn) return;
    if (req.method === 'GET' || req.method === 'HEAD') {
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    return reply.code(401).type('text/html; charset=utf-8').send(errorPage(ctx(req, reply), 'Sign in first', 'Your session has ended. Sign in, then try again.'));
  });

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

  function ctx(req: FastifyRequest, reply: FastifyReply, flash?: string): PageContext {
    return {
      session: req.signedIn,
      csrf: reply.generateCsrf({ userInfo: req.signedIn?.id ?? 'signed-out' }),
      outbox: !!outbox,
      path: pathOf(req.url),
      flash,
    };
  }

  /** The one-time message left for this person by the request before (then forgotten). */
  async function takeFlash(req: FastifyRequest): Promise<string | undefined> {
    const flash = req.signedIn?.flash;
    if (req.signedIn && flash !== undefined) {
      delete req.signedIn.flash;
      await sessions.save(req.signedIn);
    }
    return flash;
  }

  function send(reply: FastifyReply, code: number, body: string) {
    return reply.code(code).type('text/html; charset=utf-8').send(body);
  }

  app.setNotFoundHandler((req, reply) => send(reply, 404, errorPage(ctx(req, reply), 'Page not found', 'There is no page at this address.')));

  // Anything thrown becomes a page: a Fastify or plugin error (string code, statusCode), a
  // gRPC error from Temporal (numeric code), or a value that is not an Error at all.
  app.setErrorHandler((thrown: unknown, req, reply) => {
    const err = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as { code?: unknown; statusCode?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    const statusCode = typeof err.statusCode === 'number' ? err.statusCode : 0;
    if (code.startsWith('FST_CSRF')) {
      return send(
        reply,
        403,
        errorPage(ctx(req, reply), 'Form refused', 'This form could not be accepted: it has expired or did not come from this dashboard. Go back, reload the page and try again.'),
      );
    }
    if (statusCode === 429) {
      return send(reply, 429, errorPage(ctx(req, reply), 'Too many requests', 'Too many requests. Wait a minute, then try again.'));
    }
    if (thrown instanceof UserError) return send(reply, 404, errorPage(ctx(req, reply), 'Not found', thrown.message));
    if (statusCode >= 400 && statusCode < 500) {
      return send(reply, statusCode, errorPage(ctx(req, reply), 'Request refused', typeof err.message === 'string' ? err.message : 'The request was not understood.'));
    }
    // The person sees what failed and why (Temporal's own cause), the log gets the stack.
    req.log.error({ err: thrown }, 'request failed');
    return send(reply, 500, errorPage(ctx(req, reply), 'Something went wrong', `The dashboard could not do that: ${failureText(thrown)}`));
  });

  // ---------------------------------------------------------------- static, sign-in

  app.get('/static/style.css', (_req, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(css));

  app.get('/login', (req, reply) => {
    const q = req.query as Body;
    if (req.signedIn) return reply.redirect(safeNext(q.next), 303);
    return send(reply, 200, loginPage(ctx(req, reply), { next: safeNext(q.next), notice: q.signedout ? 'You have signed out.' : undefined }));
  });

  app.post('/login', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const name = str(b.name).trim();
    const password = str(b.password);
    const next = safeNext(b.next);
    // Counted before the password is hashed, so guesses sent at once cannot all get through.
    const wait = throttle.attempt(name, req.ip);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header('Retry-After', String(seconds));
      return send(reply, 429, loginPage(ctx(req, reply), { next, name, error: `Too many wrong passwords. Wait ${seconds} seconds, then try again.` }));
    }
    const user = await verifyUser(opts.usersFile, name, password);
    if (!user) {
      return send(reply, 401, loginPage(ctx(req, reply), { next, name, error: 'That name and password do not match an account.' }));
    }
    throttle.succeeded(name, req.ip);
    if (req.signedIn) await sessions.destroy(req.signedIn.id);
    const session = await sessions.create(user.name, user.role, user.credential);
    reply.setCookie(SESSION_COOKIE, session.id, cookieOpts);
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (req, reply) => {
    await sessions.destroy(req.signedIn?.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login?signedout=1', 303);
  });

  // ---------------------------------------------------------------- rounds and registers

  app.get('/', async (req, reply) => {
    const rows = await listLetters(client, queries.allLetters());
    return send(reply, 200, roundsPage(ctx(req, reply, await takeFlash(req)), summarise(rows)));
  });

  app.get('/rounds/:roundId', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const q = req.query as Body;
    const now = new Date();
    const rows = await listLetters(client, queries.roundLetters(roundId));
    const flash = await takeFlash(req);
    if (rows.length === 0) {
      // Just started: Temporal's visibility lists new workflows a moment after they start.
      if (flash) return send(reply, 200, justStartedPage(ctx(req, reply, flash), roundId));
      return send(reply, 404, errorPage(ctx(req, reply), 'No such round', `There are no letters in round '${roundId}'.`));
    }

    const counts: RegisterRowCounts = {};
    let overdue = 0;
    for (const r of rows) {
      counts[r.state] = (counts[r.state] ?? 0) + 1;
      if (isOverdue(r, now)) overdue++;
    }
    const f = str(q.state);
    const filter = f === 'overdue' || f === 'unknown' || isLetterState(f) ? f : '';
    const sort: SortKey = (SORT_KEYS as readonly string[]).includes(str(q.sort)) ? (str(q.sort) as SortKey) : 'next';
    const dir = str(q.dir) === 'desc' ? 'desc' : 'asc';
    const search = str(q.q).trim().slice(0, 200);
    const matching = rows
      .filter((r) => (filter === '' ? true : filter === 'overdue' ? isOverdue(r, now) : r.state === filter))
      .filter((r) => matchesSearch(r, search))
      .sort(comparator(sort, dir));
    const pages = Math.max(1, Math.ceil(matching.length / pageSize));
    const pageNo = Math.min(pages, Math.max(1, Number.parseInt(str(q.page), 10) || 1));
    const pageRows = matching.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    // A row's recipient and requested documents come from its memo, in the listing. Only the
    // letters on this page started without one (before the memo existed) are asked for their status.
    const statuses = await letterStatuses(client, pageRows.filter((row) => !row.recipient));
    const registerRows: RegisterRow[] = pageRows.map((row) => {
      if (row.recipient) return { row };
      const s = statuses.get(row.workflowId);
      return s instanceof Error || !s ? { row, error: s?.message ?? 'no status' } : { row, status: s };
    });
    return send(
      reply,
      200,
      registerPage(ctx(req, reply, flash), {
        roundId,
        total: rows.length,
        counts,
        overdue,
        filter,
        search,
        sort,
        dir,
        page: pageNo,
        pages,
        matching: matching.length,
        pageSize,
        rows: registerRows,
        now,
        tz,
      }),
    );
  });

  app.get('/rounds/:roundId/export.csv', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const csv = await exportRoundCsv(client, roundId);
    const fileName = `${roundId.replace(/[^A-Za-z0-9._-]/g, '_')}-register.csv`;
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${fileName}"`).send(csv);
  });

  // ---------------------------------------------------------------- one letter

  async function renderLetter(
    req: FastifyRequest,
    reply: FastifyReply,
    roundId: string,
    letterId: string,
    code: number,
    extra: { error?: { form: LetterForm; message: string; values: FormValues }; done?: LetterForm } = {},
    flash?: string,
  ) {
    const workflowId = workflowIdFor(roundId, letterId);
    let status;
    try {
      status = await client.withDeadline(Date.now() + 15_000, () => statusOf(client, workflowId));
    } catch (err) {
      if (err instanceof UserError) return send(reply, 404, errorPage(ctx(req, reply), 'No such letter', err.message));
      throw err;
    }
    const outboxFiles = outbox ? outbox.findByMessageIds(status.emails.map((e) => e.messageId)) : undefined;
    return send(
      reply,
      code,
      letterPage(ctx(req, reply, flash), {
        status,
        workflowId,
        canRecord: !!req.signedIn && CAN_RECORD.includes(req.signedIn.role),
        outboxFiles,
        today: todayIn(tz),
        now: new Date(),
        tz,
        ...extra,
      }),
    );
  }

  app.get('/letters/:roundId/:letterId', async (req, reply) => {
    const { roundId, letterId } = req.params as { roundId: string; letterId: string };
    const done = str((req.query as Body).done);
    return renderLetter(req, reply, roundId, letterId, 200, { done: (LETTER_FORMS as readonly string[]).includes(done) ? (done as LetterForm) : undefined }, await takeFlash(req));
  });

  app.post('/letters/:roundId/:letterId/:form', async (req, reply) => {
    const { roundId, letterId, form } = req.params as { roundId: string; letterId: string; form: string };
    if (!(LETTER_FORMS as readonly string[]).includes(form)) {
      return send(reply, 404, errorPage(ctx(req, reply), 'Page not found', 'There is no such form.'));
    }
    const user = req.signedIn!;
    if (!CAN_RECORD.includes(user.role)) {
      return send(reply, 403, errorPage(ctx(req, reply), 'Not allowed', `Your role (${user.role}) can read letters but not record anything on them. Ask a lead for the staff role.`));
    }
    const b = { ...((req.body ?? {}) as Body) };
    delete b._csrf;
    const workflowId = workflowIdFor(roundId, letterId);
    const f = form as LetterForm;
    try {
      await sendForm(client, workflowId, f, b, user.user);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const prefix = `${workflowId}: `;
      const message = formMessage(f, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message, tz);
      return renderLetter(req, reply, roundId, letterId, 422, { error: { form: f, message, values: b } });
    }
    return reply.redirect(`${letterHref(roundId, letterId)}?done=${f}`, 303);
  });

  // ---------------------------------------------------------------- starting a round (leads)

  function notLead(req: FastifyRequest, reply: FastifyReply) {
    const role = req.signedIn?.role ?? 'none';
    return send(reply, 403, errorPage(ctx(req, reply), 'Not allowed', `Starting a round needs the lead role; yours is ${role}. Ask a lead to start it.`));
  }

  function noSuchFolder(req: FastifyRequest, reply: FastifyReply) {
    return send(reply, 404, errorPage(ctx(req, reply), 'No such round folder', 'There is no round folder of that name. Choose one from the list on “Start a round”.'));
  }

  app.get('/start', async (req, reply) => {
    if (req.signedIn?.role !== 'lead') return notLead(req, reply);
    const scan = scanRoundFolders(roundsDirs);
    const entries = await Promise.all(scan.folders.map(async (folder) => ({ folder, plan: await loadForDisplay(folder) })));
    return send(reply, 200, startListPage(ctx(req, reply, await takeFlash(req)), { configured: roundsDirs.length > 0, roundsDirs, scan, entries }));
  });

  app.get('/start/:folder', async (req, reply) => {
    if (req.signedIn?.role !== 'lead') return notLead(req, reply);
    const folder = findRoundFolder(roundsDirs, (req.params as { folder: string }).folder);
    if (!folder) return noSuchFolder(req, reply);
    const plan = await loadForDisplay(folder);
    const defaults = defaultSentOn(plan);
    const form: StartForm = { delivery: 'record-sent', sentOn: defaults.length === 1 ? defaults[0] : '' };
    return send(reply, 200, roundCheckPage(ctx(req, reply, await takeFlash(req)), { folder, plan, form, defaultSentOn: defaults }));
  });

  app.post('/start/:folder', async (req, reply) => {
    if (req.signedIn?.role !== 'lead') return notLead(req, reply);
    const name = (req.params as { folder: string }).folder;
    if (!isFolderName(name)) return noSuchFolder(req, reply);
    const b = (req.body ?? {}) as Body;
    const form: StartForm = { delivery: str(b.delivery) || 'record-sent', sentOn: str(b.sentOn).trim() };
    // Everything is read again from the folder: only its name comes from the request.
    const folder = findRoundFolder(roundsDirs, name);
    if (!folder) {
      return send(
        reply,
        422,
        errorPage(ctx(req, reply), 'Round not started', `The round folder '${name}' is not there any more (moved, renamed, or without its round.yaml). Nothing was started.`),
      );
    }
    const plan = await loadForDisplay(folder);
    const defaults = defaultSentOn(plan);
    const refuse = (message: string) => send(reply, 422, roundCheckPage(ctx(req, reply), { folder, plan, form, defaultSentOn: defaults, error: message }));
    if (hasErrors(plan)) return refuse('the round has errors (listed here). Nothing was started. Fix them in the folder’s files, then reload this page.');
    if (!['record-sent', 'send', 'send-inline'].includes(form.delivery)) return refuse(`choose how the letters go out: record them as sent, or email them (got '${form.delivery}').`);
    // 'send': a covering note with the letter attached as a PDF; 'send-inline': the letter in the email (rounds start --send [--inline]).
    const delivery = form.delivery === 'record-sent' ? 'record-sent' : 'send';
    const inline = form.delivery === 'send-inline';
    if (delivery === 'send') {
      const without = plan.letters.filter((l) => !l.body).map((l) => l.letterId);
      if (without.length > 0) return refuse(`emailing needs each letter’s own file under letters/, and ${without.join(', ')} ${without.length === 1 ? 'has' : 'have'} none. Add the files, or record the letters as sent.`);
    }
    const sentOn = checkSentOn(form.sentOn, plan, defaults, new Date());
    if ('error' in sentOn) return refuse(sentOn.error);
    let inputs;
    try {
      inputs = letterInputs(plan, { delivery, inline, letterPdfs: await pdfLettersForSending(plan, { delivery, inline }), sentOn: sentOn.value });
    } catch (err) {
      if (err instanceof UserError) return refuse(err.message);
      throw err;
    }
    const result = await startLetters(client, inputs);
    const n = result.started.length;
    const m = result.alreadyStarted.length;
    req.log.info({ user: req.signedIn.user, round: plan.round.id, folder: folder.dir, started: n, alreadyStarted: m }, 'round started');
    req.signedIn.flash = `Started ${n} letter${n === 1 ? '' : 's'}; ${m} already started${m > 0 ? ' (left as they were)' : ''}.`;
    await sessions.save(req.signedIn);
    return reply.redirect(roundHref(plan.round.id), 303);
  });

  // ---------------------------------------------------------------- outbox

  if (outbox) {
    app.get('/outbox', async (req, reply) => {
      const entries = outbox.list();
      const pages = Math.max(1, Math.ceil(entries.length / OUTBOX_PAGE_SIZE));
      const pageNo = Math.min(pages, Math.max(1, Number.parseInt(str((req.query as Body).page), 10) || 1));
      const slice = entries.slice((pageNo - 1) * OUTBOX_PAGE_SIZE, pageNo * OUTBOX_PAGE_SIZE);
      const messages = await Promise.all(
        slice.map(async (e) => {
          try {
            return (await outbox.read(e.file)) ?? { file: e.file, error: 'gone' };
          } catch (err) {
            return { file: e.file, error: (err as Error).message };
          }
        }),
      );
      return send(reply, 200, outboxPage(ctx(req, reply), { messages, page: pageNo, pages, total: entries.length, tz }));
    });

    app.get('/outbox/:file', async (req, reply) => {
      const { file } = req.params as { file: string };
      const m = await outbox.read(file);
      if (!m) return send(reply, 404, errorPage(ctx(req, reply), 'No such message', 'There is no such message in the outbox.'));
      return send(reply, 200, outboxMessagePage(ctx(req, reply), m, tz));
    });

    app.get('/outbox/:file/raw', (req, reply) => {
      const { file } = req.params as { file: string };
      const raw = outbox.raw(file);
      if (!raw) return send(reply, 404, errorPage(ctx(req, reply), 'No such message', 'There is no such message in the outbox.'));
      return reply
        .type('text/plain; charset=utf-8')
        .header('Content-Security-Policy', "sandbox; default-src 'none'")
        .header('Content-Disposition', 'inline')
        .send(raw);
    });
  }

  return app;
}

type RegisterRowCounts = Partial<Record<LetterRow['state'], number>>;

/**
 * The start form's "counts as sent on": '' or the default → undefined (each letter's default,
 * as the CLI without --sent-on); otherwise the rule `rounds start --sent-on` applies (domain/start.ts).
 */
function checkSentOn(typed: string, plan: RoundPlan, defaults: string[], now: Date): { value: string | undefined } | { error: string } {
  if (typed === '' || (defaults.length === 1 && typed === defaults[0])) return { value: undefined };
  try {
    resolveSentOn(typed, plan, now);
  } catch (err) {
    if (err instanceof SentOnError) return { error: `“counts as sent on”: ${err.message}` };
    throw err;
  }
  return { value: typed.toLowerCase() === 'now' ? 'now' : typed };
}

/**
 * The register's search: the words, ignoring case, anywhere in the letter id, the recipient's
 * name or the organisation. Recipients come from the listing's memo; a letter started before
 * the memo existed is found by its id only.
 */
function matchesSearch(r: LetterRow, search: string): boolean {
  if (search === '') return true;
  const needle = search.toLocaleLowerCase('en-GB');
  return [r.letterId, r.recipient?.name, r.recipient?.organisation].some((v) => !!v && v.toLocaleLowerCase('en-GB').includes(needle));
}

function isOverdue(r: LetterRow, now: Date): boolean {
  return !!r.nextActionAt && Date.parse(r.nextActionAt) < now.getTime();
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

function comparator(sort: SortKey, dir: 'asc' | 'desc'): (a: LetterRow, b: LetterRow) => number {
  const byLetter = (a: LetterRow, b: LetterRow) => a.letterId.localeCompare(b.letterId, 'en', { numeric: true });
  // Recipients come from the memo in the listing, so these sort the whole round; letters
  // started without a memo have no name there and sort last (first, descending).
  const byText = (get: (r: LetterRow) => string | undefined) => (a: LetterRow, b: LetterRow) => {
    const x = get(a);
    const y = get(b);
    return x === y ? registerOrder(a, b) : x === undefined ? 1 : y === undefined ? -1 : collator.compare(x, y) || registerOrder(a, b);
  };
  const orders: Record<SortKey, (a: LetterRow, b: LetterRow) => number> = {
    next: registerOrder,
    letter: byLetter,
    recipient: byText((r) => r.recipient?.name),
    organisation: byText((r) => r.recipient?.organisation),
    state: (a, b) => stateRank(a.state) - stateRank(b.state) || registerOrder(a, b),
    outstanding: (a, b) => a.outstanding.length - b.outstanding.length || registerOrder(a, b),
  };
  const primary = orders[sort];
  return dir === 'asc' ? primary : (a, b) => primary(b, a);
}

function stateRank(s: LetterRow['state']): number {
  const i = STATE_ORDER.indexOf(s as (typeof STATE_ORDER)[number]);
  return i < 0 ? STATE_ORDER.length : i;
}

/** Turns one submitted form into the workflow's update; a rejection is a UserError with the workflow's message. */
async function sendForm(client: Client, workflowId: string, form: LetterForm, b: Body, user: string): Promise<void> {
  const typed = str(b.by).trim();
  const by = !typed || typed === user ? user : `${typed} (entered by ${user})`;
  const opt = (v: unknown) => {
    const s = str(v).trim();
    return s === '' ? undefined : s;
  };
  const clean = <T extends object>(p: T): T => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as T;
  switch (form) {
    case 'receipt':
      await updateLetter(client, workflowId, 'recordReceipt', clean<ReceiptPayload>({ documents: list(b.documents) as ReceiptPayload['documents'], receivedOn: opt(b.receivedOn), by, note: opt(b.note) }));
      return;
    case 'decline': {
      const docs = list(b.documents) as ReceiptPayload['documents'];
      await updateLetter(client, workflowId, 'recordDecline', clean<DeclinePayload>({ documents: docs.length > 0 ? docs : undefined, reason: str(b.reason).trim(), on: opt(b.on), by }));
      return;
    }
    case 'extend': {
      const days = opt(b.workingDays);
      const workingDays = days === undefined ? undefined : /^\d+$/.test(days) ? Number(days) : (days as unknown as number);
      await updateLetter(client, workflowId, 'extendDeadline', clean<ExtendPayload>({ until: opt(b.until), workingDays, reason: opt(b.reason), by }));
      return;
    }
    case 'pause':
      await updateLetter(client, workflowId, 'pause', clean<PausePayload>({ reason: opt(b.reason), by }));
      return;
    case 'resume':
      await updateLetter(client, workflowId, 'resume', clean<ResumePayload>({ by }));
      return;
    case 'withdraw':
      if (str(b.confirm) !== 'yes') throw new UserError('tick “Yes, withdraw this letter” to confirm');
      await updateLetter(client, workflowId, 'withdraw', clean<WithdrawPayload>({ reason: opt(b.reason), by }));
      return;
    case 'note':
      await updateLetter(client, workflowId, 'addNote', clean<NotePayload>({ text: str(b.text), by }));
      return;
  }
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
