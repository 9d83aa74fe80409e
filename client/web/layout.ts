// The page around every view: head, skip link, navigation, who is signed in, sign-out.
import { html, type SafeHtml } from './html';
import type { Session } from './auth';

export interface PageContext {
  /** The signed-in user, if any. */
  session: Session | null;
  /** A CSRF token for this page's forms. */
  csrf: string;
  /** Whether the outbox page exists (the local mail sink is in use). */
  outbox: boolean;
  /** The path of the current page, to mark the current navigation link. */
  path: string;
  /** A one-time message left for this page by the request before (e.g. "Started 5 letters"). */
  flash?: string;
}

export interface Crumb {
  href: string;
  label: string;
}

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

export function page(ctx: PageContext, opts: { title: string; crumbs?: Crumb[]; flash?: string; body: SafeHtml; wide?: boolean }): string {
  const nav = (href: string, label: string, current: boolean) =>
    html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  const p = ctx.path;
  return (
    '<!doctype html>\n' +
    html`<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · Request rounds</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="bar">
    <a class="brand" href="/">Request rounds</a>
    ${
      ctx.session
        ? html`<nav aria-label="Main">
      <ul>
        ${nav('/', 'Rounds', p === '/' || p.startsWith('/rounds/') || p.startsWith('/letters/'))}
        ${ctx.session.role === 'lead' ? nav('/start', 'Start a round', p === '/start' || p.startsWith('/start/')) : ''}
        ${ctx.session.role === 'lead' ? nav('/calendar', 'Calendar', p === '/calendar') : ''}
        ${nav('/inbox', 'Inbox', p.startsWith('/inbox'))}
        ${ctx.outbox ? nav('/outbox', 'Outbox', p.startsWith('/outbox')) : ''}
      </ul>
    </nav>
    <form class="signout" method="post" action="/logout">
      ${csrfField(ctx)}
      <span class="who">Signed in as <strong>${ctx.session.user}</strong> (${ctx.session.role})</span>
      <button type="submit" class="link-button">Sign out</button>
    </form>`
        : ''
    }
  </div>
</header>
<main id="main" tabindex="-1"${opts.wide ? html` class="wide"` : ''}>
${
  opts.crumbs && opts.crumbs.length > 0
    ? html`<nav aria-label="Breadcrumb" class="crumbs"><ol>${opts.crumbs.map((c) => html`<li><a href="${c.href}">${c.label}</a></li>`)}<li aria-current="page">${opts.title}</li></ol></nav>`
    : ''
}
<h1>${opts.title}</h1>
${[ctx.flash, opts.flash].filter(Boolean).map((f) => html`<p class="flash" role="status">${f}</p>`)}
${opts.body}
</main>
</body>
</html>
`.value
  );
}
