// The letter page's Publication section (issue 14): for each document received by post or by
// hand, each attachment of a filed reply and each declined document's reason, whether it may be
// published, with a form to change it; and, for a finished letter in its publication window, until
// when it takes such changes and a button to close it; staff and leads may upload a document
// received by post or by hand, and a redacted copy to publish in a document's place (multipart
// forms, their CSRF token in the action's query: uploads.ts). The forms post to publication-routes.ts.
import { DOCUMENT_KEYS } from '../../domain/documents';
import { FINAL_STATES } from '../../domain/states';
import type { LetterStatus } from '../../domain/types';
import { documentLabel, longDate, longDateTime } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, type PageContext } from './layout';
import { MAX_UPLOAD_TEXT, uploadAction } from './uploads';
import { letterHref } from './views';

export interface PublicationView {
  status: LetterStatus;
  canRecord: boolean;
  tz: string;
}

/** Whether the letter still takes publication changes: not finished, or in its publication window. */
export function takesPublication(s: LetterStatus): boolean {
  return s.publicationOpenUntil !== undefined || !FINAL_STATES.includes(s.state);
}

export function publicationSection(ctx: PageContext, v: PublicationView): SafeHtml {
  const s = v.status;
  const action = `${letterHref(s.roundId, s.letterId)}/publication`;
  const open = v.canRecord && takesPublication(s);
  const rows: SafeHtml[] = [];
  const control = (id: string, fields: Record<string, string>, published: boolean, what: string) =>
    open
      ? html`<form method="post" action="${action}" class="inline" id="publication-${id}">${csrfField(ctx)}${Object.entries(fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<input type="hidden" name="publish" value="${published ? 'no' : 'yes'}">
<button type="submit">${published ? 'Do not publish' : 'Publish'}<span class="visually-hidden">: ${what}</span></button></form>`
      : '';
  const redactForm = (id: string, fields: Record<string, string>, what: string) =>
    open
      ? html`<form method="post" action="${uploadAction(ctx, `${action}/redacted`)}" enctype="multipart/form-data" class="inline" id="redacted-${id}">${Object.entries(fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<label>Redacted copy<span class="visually-hidden"> of ${what}</span> <input type="file" name="file" required></label>
<button type="submit">Publish the redacted copy<span class="visually-hidden">: ${what}</span></button></form>`
      : '';
  const state = (published: boolean, redacted?: string) => (published ? (redacted ? html`<span class="published">Published as a redacted copy (${redacted})</span>` : html`<span class="published">Published</span>`) : html`<span class="muted">Not published</span>`);
  for (const a of s.attachments ?? []) {
    const what = `${a.title} (${a.file.name})`;
    rows.push(html`<tr data-publication="${a.id}"><th scope="row">${what}<br><span class="muted">received ${longDate(a.receivedOn)} (${a.id})</span></th><td>${state(a.publish, a.redacted?.name)}</td><td>${control(a.id, { attachment: a.id }, a.publish, what)}${redactForm(a.id, { attachment: a.id }, what)}</td></tr>`);
  }
  (s.replies ?? []).forEach((r, n) => {
    r.attachments.forEach((a, i) => {
      const p = r.published?.find((x) => x.attachment === i + 1);
      const what = `${a.name}, attachment ${i + 1} of the reply of ${longDateTime(r.filedAt, v.tz)}`;
      rows.push(html`<tr data-publication="r${n + 1}-${i + 1}"><th scope="row">${what}</th><td>${state(!!p, p?.redacted?.name)}</td><td>${control(`r${n + 1}-${i + 1}`, { reply: r.messageId, replyAttachment: String(i + 1) }, !!p, what)}${redactForm(`r${n + 1}-${i + 1}`, { reply: r.messageId, replyAttachment: String(i + 1) }, what)}</td></tr>`);
    });
  });
  for (const k of DOCUMENT_KEYS) {
    const d = s.documents[k];
    if (!d?.declinedOn) continue;
    const published = (s.publishedDeclineReasons ?? []).includes(k);
    const what = `the reason ${documentLabel(k)} was declined`;
    rows.push(html`<tr data-publication="decline-${k}"><th scope="row">${what}${d.declineReason ? html`<br><span class="muted">${d.declineReason}</span>` : ''}</th><td>${state(published)}</td><td>${control(`decline-${k}`, { declineReasonOf: k }, published, what)}</td></tr>`);
  }
  const window = s.publicationOpenUntil
    ? html`<p id="publication-window">This letter is finished; until <time datetime="${s.publicationOpenUntil}">${longDateTime(s.publicationOpenUntil, v.tz)}</time> it takes publication changes only.</p>${
        open ? html`<form method="post" action="${action}/close" id="publication-close">${csrfField(ctx)}<button type="submit">Close for publication now</button></form>` : ''
      }`
    : '';
  const requested = DOCUMENT_KEYS.filter((k) => s.documents[k] !== undefined);
  const attachForm = open
    ? html`<form method="post" action="${uploadAction(ctx, `${action}/attach`)}" enctype="multipart/form-data" id="publication-attach">
  <fieldset><legend>Add a document received by post or by hand</legend>
  <p><label for="attach-file">File (up to ${MAX_UPLOAD_TEXT})</label> <input type="file" id="attach-file" name="file" required></p>
  <p><label for="attach-document">Which requested document</label> <select id="attach-document" name="document"><option value="">None: another document (give a title)</option>${requested.map((k) => html`<option value="${k}">${documentLabel(k)}</option>`)}</select></p>
  <p><label for="attach-title">Title</label> <input type="text" id="attach-title" name="title" maxlength="200"></p>
  <p><label for="attach-received">Received on</label> <input type="date" id="attach-received" name="receivedOn"> <span class="muted">(today if left empty)</span></p>
  <p><button type="submit">Add the document</button> <span class="muted">It is not published until marked.</span></p>
  </fieldset></form>`
    : '';
  return html`<section aria-labelledby="publication-title">
  <h2 id="publication-title">Publication</h2>
  ${window}
  ${
    rows.length === 0
      ? html`<p>Nothing received that could be published yet (documents received by post or by hand: <code>rounds publication attach</code>).</p>`
      : html`<div class="table-wrap" role="region" aria-labelledby="publication-title" tabindex="0"><table id="publication">
    <thead><tr><th scope="col">Received</th><th scope="col">On the published site</th><th scope="col">Change</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`
  }
  ${attachForm}
</section>`;
}
