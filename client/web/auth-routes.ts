// The dashboard's sign-in area: who is signed in (the session hook every request passes), and
// GET/POST /login, POST /logout. Its hook must apply to every route of every area, so this
// plugin is wrapped in fastify-plugin (it does not get a context of its own); the other areas
// are plain, encapsulated plugins.
//
// Sessions are server-side (sessions.ts) behind a signed, HttpOnly, SameSite=Lax cookie
// (Secure with secureCookies), and every request checks its user against the users file as
// it is now (auth.ts stillValid: removed: signed out; new role: applies; new password: the
// older sessions end). Sign-in is throttled per name and per address (LoginThrottle) and
// rate-limited.
import fp from 'fastify-plugin';
import { SystemError } from '../errors';
import { verifyUser } from '../users';
import { LoginThrottle, stillValid } from './auth';
import { pageContext, pathOf, send, str, type AreaOptions, type Body } from './context';
import { errorPage, loginPage } from './views';

const SESSION_COOKIE = 'rounds_session';

/** Paths anyone may open without signing in. */
const PUBLIC_PATHS = new Set(['/login', '/static/style.css']);

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

export const authRoutes = fp<AreaOptions>(
  async (app, { web }) => {
    const { sessions, users } = web;
    const throttle = new LoginThrottle();
    const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: web.secure, signed: true };

    app.decorateRequest('signedIn', null);

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
      return send(reply, 401, errorPage(pageContext(web, req, reply), 'Sign in first', 'Your session has ended. Sign in, then try again.'));
    });

    app.get('/login', (req, reply) => {
      const q = req.query as Body;
      if (req.signedIn) return reply.redirect(safeNext(q.next), 303);
      return send(reply, 200, loginPage(pageContext(web, req, reply), { next: safeNext(q.next), notice: q.signedout ? 'You have signed out.' : undefined }));
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
        return send(reply, 429, loginPage(pageContext(web, req, reply), { next, name, error: `Too many wrong passwords. Wait ${seconds} seconds, then try again.` }));
      }
      const user = await verifyUser(web.usersFile, name, password);
      if (!user) {
        return send(reply, 401, loginPage(pageContext(web, req, reply), { next, name, error: 'That name and password do not match an account.' }));
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
  },
  { name: 'rounds-auth', fastify: '5.x' },
);
