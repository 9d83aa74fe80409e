// The Inbox area's pages (issue 13): replies waiting for triage, the holding pen, bounces to
// fix, "File an email" (an .eml uploaded, as `rounds inbox import`), and one reply (its text, its
// HTML sanitised in a sandboxed iframe, its attachments).
import { DOCUMENT_LABELS, type DocumentKey } from '../../domain/documents';
import type { ReplyRecord } from '../../domain/types';
import type * as mb from '../../workflows/mailbox-api';
import { longDateTime } from './format';
import { html, queryString } from './html';
import { csrfField, page, type PageContext } from './layout';
import { MAX_UPLOAD_TEXT, uploadAction } from './uploads';
import { letterHref } from './views';

export interface WaitingReply {
  roundId: string;
  letterId: string;
  reply: ReplyRecord;
}

export interface Bounced {
  roundId: string;
  letterId: string;
  recipient?: string;
}

export interface InboxView {
  state?: mb.MailboxState;
  /** Why the mailbox workflow could not be asked (not running). */
  unavailable?: string;
  waiting: WaitingReply[];
  bounced: Bounced[];
  canRecord: boolean;
  tz: string;
  error?: string;
}

export function replyHref(roundId: string, letterId: string, messageId: string): string {
  return `/inbox/reply/${encodeURIComponent(roundId)}/${encodeURIComponent(letterId)}${queryString({ m: messageId })}`;
}

const docs = (keys: DocumentKey[]) => keys.map((k) => DOCUMENT_LABELS[k]).join('; ');

export function inboxPage(ctx: PageContext, v: InboxView): string {
  const s = v.state;
  const waiting = html`<section aria-labelledby="waiting-title">
  <h2 id="waiting-title">Replies waiting for triage (${v.waiting.length})</h2>
  ${
    v.waiting.length === 0
      ? html`<p>None: every reply filed recently has been triaged.</p>`
      : html`<ul class="inbox-list">${v.waiting.map(
          (w) => html`<li class="card">
    <p><a href="${replyHref(w.roundId, w.letterId, w.reply.messageId)}">${w.reply.subject || '(no subject)'}</a> from ${w.reply.from ?? '(unknown)'}
      on <a href="${letterHref(w.roundId, w.letterId)}">${w.roundId}/${w.letterId}</a>, ${longDateTime(w.reply.filedAt, v.tz)}${
        w.reply.confidence === 'low' ? html` <strong class="warning">matched by sender only: check it is this letter</strong>` : ''
      }</p>
    ${
      v.canRecord
        ? html`<form method="post" action="/inbox/triage" class="inline">
      ${csrfField(ctx)}
      <input type="hidden" name="roundId" value="${w.roundId}"><input type="hidden" name="letterId" value="${w.letterId}"><input type="hidden" name="messageId" value="${w.reply.messageId}">
      ${w.reply.suggested.map((k) => html`<input type="hidden" name="documents" value="${k}">`)}
      ${w.reply.suggested.length > 0 ? html`<button type="submit" name="action" value="receipt">Record receipt of ${docs(w.reply.suggested)}</button>` : ''}
      <button type="submit" name="action" value="none">No documents yet</button>
      <a href="${letterHref(w.roundId, w.letterId)}#extend">Extend to the date they promise</a>
    </form>`
        : ''
    }
  </li>`,
        )}</ul>`
  }
</section>`;
  const pen = html`<section aria-labelledby="pen-title">
  <h2 id="pen-title">Holding pen (${s?.pen.length ?? 0})</h2>
  <p>Messages no letter was found for. File one on its letter, or dismiss it with a reason.</p>
  ${
    !s || s.pen.length === 0
      ? html`<p>Empty.</p>`
      : html`<ul class="inbox-list">${s.pen.map(
          (e) => html`<li class="card">
    <p><strong>${e.mail.subject || '(no subject)'}</strong> from ${e.mail.from ?? '(nobody)'}, ${longDateTime(e.at, v.tz)} <span class="muted">(${e.kind.kind}; ${e.why})</span></p>
    <p class="muted"><code>${e.mail.messageId}</code></p>
    ${e.mail.excerpt ? html`<blockquote>${e.mail.excerpt.slice(0, 300)}</blockquote>` : ''}
    ${
      v.canRecord
        ? html`<form method="post" action="/inbox/file" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="messageId" value="${e.mail.messageId}">
      <label>Letter (round/letter) <input name="letter" required placeholder="vru-2020/kent"></label>
      <button type="submit">File on this letter</button>
    </form>
    <form method="post" action="/inbox/dismiss" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="messageId" value="${e.mail.messageId}">
      <label>Reason <input name="reason" required placeholder="spam"></label>
      <button type="submit">Dismiss</button>
    </form>`
        : ''
    }
  </li>`,
        )}</ul>`
  }
</section>`;
  const bounced = html`<section aria-labelledby="bounced-title">
  <h2 id="bounced-title">Bounces to fix (${v.bounced.length})</h2>
  ${
    v.bounced.length === 0
      ? html`<p>No letter is undeliverable.</p>`
      : html`<ul class="inbox-list">${v.bounced.map(
          (b) => html`<li class="card">
    <p><a href="${letterHref(b.roundId, b.letterId)}">${b.roundId}/${b.letterId}</a>${b.recipient ? html` (${b.recipient})` : ''}: undeliverable</p>
    ${
      v.canRecord
        ? html`<form method="post" action="/inbox/correct-address" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="roundId" value="${b.roundId}"><input type="hidden" name="letterId" value="${b.letterId}">
      <label>New email <input type="email" name="email" required></label>
      <button type="submit">Correct the address and send again</button>
    </form>`
        : ''
    }
  </li>`,
        )}</ul>`
  }
</section>`;
  const fileEmail = v.canRecord
    ? html`<section aria-labelledby="import-title">
  <h2 id="import-title">File an email</h2>
  <p>An email saved as a file (.eml, up to ${MAX_UPLOAD_TEXT}), e.g. one forwarded from another mailbox: it is filed on its letter as mail from the mailbox is, or kept in the holding pen.</p>
  <form method="post" action="${uploadAction(ctx, '/inbox/import')}" enctype="multipart/form-data" id="inbox-import">
    <label for="import-file">Email file</label> <input type="file" id="import-file" name="file" accept=".eml,message/rfc822" required>
    <button type="submit">File the email</button>
  </form>
</section>`
    : '';
  const status = v.unavailable
    ? html`<p class="error" role="alert">${v.unavailable}</p>`
    : s?.lastError
      ? html`<p class="error" role="alert">The mailbox cannot be read (since ${longDateTime(s.lastError.since, v.tz)}, ${s.lastError.failures} attempts): ${s.lastError.message}</p>`
      : '';
  return page(ctx, {
    title: 'Inbox',
    flash: v.error,
    body: html`${status}${waiting}${pen}${bounced}${fileEmail}`,
  });
}

export interface ReplyView {
  roundId: string;
  letterId: string;
  reply: ReplyRecord;
  text?: string;
  /** Already sanitised. */
  html?: string;
  canDownload: boolean;
  tz: string;
}

export function replyPage(ctx: PageContext, v: ReplyView): string {
  const r = v.reply;
  const body = html`
<section class="card facts" aria-label="Headers">
  <dl>
    <div><dt>Subject</dt><dd>${r.subject}</dd></div>
    <div><dt>From</dt><dd>${r.from ?? ''}</dd></div>
    <div><dt>Date</dt><dd>${r.date ? longDateTime(r.date, v.tz) : ''}</dd></div>
    <div><dt>Letter</dt><dd><a href="${letterHref(v.roundId, v.letterId)}">${v.roundId}/${v.letterId}</a> (matched by ${r.matchedBy}${r.confidence === 'low' ? ', low confidence' : ''})</dd></div>
    <div><dt>Message-ID</dt><dd><code>${r.messageId}</code></dd></div>
  </dl>
  ${r.problems?.length ? html`<ul class="warning">${r.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
</section>
${
  r.attachments.length > 0
    ? html`<section aria-labelledby="att-title"><h2 id="att-title">Attachments</h2><ul>${r.attachments.map(
        (a) =>
          html`<li>${v.canDownload ? html`<a href="/inbox/document/${a.sha256}${queryString({ name: a.name })}" download>${a.name}</a>` : a.name} <span class="muted">${a.contentType}, ${a.size} bytes, SHA-256 <code>${a.sha256}</code></span></li>`,
      )}</ul></section>`
    : ''
}
${
  v.html
    ? html`<section aria-labelledby="html-title">
  <h2 id="html-title">As sent (HTML, sanitised)</h2>
  <iframe class="mail-html" sandbox="" referrerpolicy="no-referrer" title="The reply's HTML part" srcdoc="${v.html}"></iframe>
</section>`
    : ''
}
${v.text ? html`<section aria-labelledby="text-title"><h2 id="text-title">Plain text</h2><pre class="mail-text">${v.text}</pre></section>` : ''}`;
  return page(ctx, { title: r.subject || '(no subject)', crumbs: [{ href: '/inbox', label: 'Inbox' }], body });
}
