// The local mail sink's outbox: a list of messages, newest first, and one message, its
// HTML part shown in a sandboxed iframe (no scripts, no same-origin, no forms) and its
// text part as text.
import { longDateTime } from './format';
import { html, queryString } from './html';
import { page, type PageContext } from './layout';
import type { OutboxMessage } from './outbox';

export interface OutboxListView {
  messages: (OutboxMessage | { file: string; error: string })[];
  page: number;
  pages: number;
  total: number;
  tz: string;
}

export function outboxPage(ctx: PageContext, v: OutboxListView): string {
  const pager =
    v.pages > 1
      ? html`<nav class="pager" aria-label="Pages of the outbox">
  ${v.page > 1 ? html`<a rel="prev" href="/outbox${queryString({ page: v.page - 1 > 1 ? v.page - 1 : undefined })}">Newer messages</a>` : html`<span class="muted">Newer messages</span>`}
  <span>Page ${v.page} of ${v.pages}</span>
  ${v.page < v.pages ? html`<a rel="next" href="/outbox${queryString({ page: v.page + 1 })}">Older messages</a>` : html`<span class="muted">Older messages</span>`}
</nav>`
      : '';
  const body =
    v.total === 0
      ? html`<p>The outbox is empty: no email has been sent through the local mail sink yet.</p>`
      : html`<p>Emails caught by the local mail sink (nothing here reached a real mailbox). ${v.total} in all, newest first.</p>
${pager}
<div class="table-wrap" role="region" aria-labelledby="outbox-caption" tabindex="0">
<table class="outbox" id="outbox">
  <caption id="outbox-caption" class="visually-hidden">Messages in the outbox, newest first</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Subject</th><th scope="col">To</th><th scope="col">From</th></tr></thead>
  <tbody>
  ${v.messages.map((m) =>
    'error' in m
      ? html`<tr><td></td><td><a href="/outbox/${encodeURIComponent(m.file)}">${m.file}</a></td><td colspan="2">Could not be read: ${m.error}</td></tr>`
      : html`<tr>
    <td>${m.date ? html`<time datetime="${m.date.toISOString()}">${longDateTime(m.date.toISOString(), v.tz)}</time>` : ''}</td>
    <td><a href="/outbox/${encodeURIComponent(m.file)}">${m.subject || '(no subject)'}</a></td>
    <td>${m.to}${m.cc ? html`<br><span class="muted">cc ${m.cc}</span>` : ''}</td>
    <td>${m.from}</td>
  </tr>`,
  )}
  </tbody>
</table>
</div>
${pager}`;
  return page(ctx, { title: 'Outbox', body });
}

export function outboxMessagePage(ctx: PageContext, m: OutboxMessage, tz: string): string {
  const body = html`
<section class="card facts" aria-label="Headers">
  <dl>
    <div><dt>Subject</dt><dd>${m.subject}</dd></div>
    <div><dt>From</dt><dd>${m.from}</dd></div>
    <div><dt>To</dt><dd>${m.to}</dd></div>
    ${m.cc ? html`<div><dt>Cc</dt><dd>${m.cc}</dd></div>` : ''}
    <div><dt>Date</dt><dd>${m.date ? longDateTime(m.date.toISOString(), tz) : ''}</dd></div>
    <div><dt>Message-ID</dt><dd><code>${m.messageId ?? ''}</code></dd></div>
    ${m.inReplyTo ? html`<div><dt>In reply to</dt><dd><code>${m.inReplyTo}</code></dd></div>` : ''}
  </dl>
  <p><a href="/outbox/${encodeURIComponent(m.file)}/raw">Raw message source</a></p>
</section>
${
  m.html
    ? html`<section aria-labelledby="html-title">
  <h2 id="html-title">As the recipient sees it</h2>
  <iframe class="mail-html" sandbox="" referrerpolicy="no-referrer" title="The message's HTML part" srcdoc="${m.html}"></iframe>
</section>`
    : ''
}
${
  m.text
    ? html`<section aria-labelledby="text-title">
  <h2 id="text-title">Plain text</h2>
  <pre class="mail-text">${m.text}</pre>
</section>`
    : ''
}`;
  return page(ctx, { title: m.subject || '(no subject)', crumbs: [{ href: '/outbox', label: 'Outbox' }], body });
}
