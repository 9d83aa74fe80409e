// One letter: who it went to, where it stands, its documents, the forms to record what
// happened, its timeline, the emails it sent and its notes.
import { DOCUMENT_KEYS } from '../../domain/documents';
import { FINAL_STATES } from '../../domain/states';
import type { EmailRecord, LetterStatus, TimelineEntry } from '../../domain/types';
import { actionLabel, documentLabel, longDate, longDateTime, notReceivedLabel } from './format';
import { FIELD_LABELS } from './form-words';
import { html, join, type SafeHtml } from './html';
import { csrfField, page, type PageContext } from './layout';
import { publicationSection } from './publication-view';
import { letterHref, roundHref, stateLabel } from './views';
import { STAFF_ACTION_NAMES, type StaffAction } from '../../domain/staff-actions';

/** One form per staff action (domain/staff-actions.ts), named as the action. */
export const LETTER_FORMS: readonly StaffAction[] = STAFF_ACTION_NAMES;
export type LetterForm = StaffAction;

export const DONE_MESSAGES: Record<LetterForm, string> = {
  receipt: 'Receipt recorded.',
  decline: 'Decline recorded.',
  extend: 'Deadline extended.',
  pause: 'Chasing paused.',
  resume: 'Chasing resumed.',
  withdraw: 'Letter withdrawn.',
  note: 'Note added.',
};

export type FormValues = Record<string, string | string[] | undefined>;

export interface LetterView {
  status: LetterStatus;
  workflowId: string;
  canRecord: boolean;
  /** The form that was rejected, with the workflow's message and what was typed. */
  error?: { form: LetterForm; message: string; values: FormValues };
  done?: LetterForm;
  /** Message-ID → outbox file, when the outbox is on. */
  outboxFiles?: Map<string, string>;
  today: string;
  now: Date;
  tz: string;
}

/** What a note was written with, when not on its own. */
const NOTE_CONTEXT: Partial<Record<TimelineEntry['kind'], string>> = {
  receipt: 'with the receipt',
  decline: 'the reason for the decline',
  extension: 'with the deadline extension',
  paused: 'when chasing was paused',
  withdrawn: 'when the letter was withdrawn',
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const KIND_LABELS: Record<EmailRecord['kind'], string> = { letter: 'Letter', chase: 'Reminder', escalation: 'Escalation' };

function docList(keys: readonly string[] | undefined): string {
  return (keys ?? []).map(documentLabel).join('; ');
}

function describe(e: TimelineEntry): SafeHtml {
  const by = e.by ? html` <span class="by">by ${e.by}</span>` : '';
  const note = e.note ? html`<blockquote class="note-text">${e.note}</blockquote>` : '';
  switch (e.kind) {
    case 'sent':
      return html`<strong>Letter sent by email</strong> to ${(e.to ?? []).join(', ')}${e.subject ? html`: “${e.subject}”` : ''}${(e.attachments ?? []).map((a) => html`, with ${a.name} attached (${a.size} bytes, SHA-256 <code>${a.sha256}</code>)`)}`;
    case 'recorded-sent':
      return html`<strong>Letter recorded as sent</strong>${e.on ? html` on ${longDate(e.on)}` : ''}${by}`;
    case 'chase':
      return html`<strong>Reminder sent</strong> to ${(e.to ?? []).join(', ')}, asking for: ${docList(e.documents)}`;
    case 'escalation':
      return html`<strong>Escalation sent</strong> to ${(e.to ?? []).join(', ')}, asking for: ${docList(e.documents)}`;
    case 'closed':
      return html`<strong>Closed as unanswered</strong>${e.documents?.length ? html`; still outstanding: ${docList(e.documents)}` : ''}`;
    case 'skipped':
      return html`<strong>Step skipped</strong> (a later step was also due when the letter started)`;
    case 'receipt':
      return html`<strong>Received</strong>: ${docList(e.documents)}${e.on ? html`, on ${longDate(e.on)}` : ''}${by}${note}`;
    case 'decline':
      return html`<strong>Declined</strong>: ${docList(e.documents)}${e.on ? html`, on ${longDate(e.on)}` : ''}${by}${note}`;
    case 'extension':
      return html`<strong>Deadline extended</strong>${e.on ? html`: next step now due ${longDate(e.on)}` : ''}${by}${note}`;
    case 'paused':
      return html`<strong>Chasing paused</strong>${by}${note}`;
    case 'resumed':
      return html`<strong>Chasing resumed</strong>${by}`;
    case 'withdrawn':
      return html`<strong>Withdrawn</strong>${by}${note}`;
    case 'note':
      return html`<strong>Note</strong>${by}${note}`;
    case 'rejected':
      return html`<strong>Rejected</strong>: ${e.message ?? ''}`;
    case 'email-failed':
      return html`<strong>Email could not be sent</strong>: ${e.message ?? ''}`;
    case 'complete':
      return html`<strong>Finished</strong>: ${e.message ?? ''}`;
    case 'needs-attention':
      return html`<strong>Needs attention</strong>: ${e.message ?? ''}`;
    case 'omitted':
      return html`<em>${e.message ?? ''}</em>`;
    // Replies in (issue 13): what the mailbox filed. Only text and the excerpt, escaped; never the mail's HTML.
    case 'reply':
      return html`<strong>Reply</strong> from ${e.from ?? ''}: “${e.subject ?? ''}” ${e.message ?? ''}${note}${e.attachments?.length ? html` (${e.attachments.length} attachment${e.attachments.length === 1 ? '' : 's'}: ${e.attachments.map((a) => a.name).join(', ')})` : ''}`;
    case 'auto-reply':
      return html`<strong>Automatic reply</strong> from ${e.from ?? ''}: “${e.subject ?? ''}”${note}`;
    case 'bounce':
      return html`<strong>Bounced</strong>: ${e.message ?? e.note ?? ''}`;
    case 'delivery-delayed':
      return html`<strong>Delivery delayed</strong>${note}`;
    case 'triaged':
      return html`<strong>Reply triaged</strong>${by}: ${e.message ?? ''}${note}`;
    case 'address-corrected':
      return html`<strong>Address corrected</strong>${by} to ${(e.to ?? []).join(', ')}: ${e.message ?? ''}${note}`;
    default:
      return html`<strong>${String((e as TimelineEntry).kind)}</strong>${by}${note}`;
  }
}

function value(v: FormValues | undefined, key: string, fallback = ''): string {
  const x = v?.[key];
  return Array.isArray(x) ? (x[0] ?? fallback) : (x ?? fallback);
}

function values(v: FormValues | undefined, key: string): string[] | undefined {
  if (!v) return undefined;
  const x = v[key];
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

interface FormSpec {
  id: LetterForm;
  title: string;
  button: string;
  intro?: string;
  fields: SafeHtml;
}

function formSection(ctx: PageContext, v: LetterView, spec: FormSpec): SafeHtml {
  const err = v.error?.form === spec.id ? v.error : undefined;
  const action = `${letterHref(v.status.roundId, v.status.letterId)}/${spec.id}`;
  return html`<section class="card form-card" id="${spec.id}" aria-labelledby="${spec.id}-title">
  <h3 id="${spec.id}-title">${spec.title}</h3>
  ${spec.intro ? html`<p class="hint">${spec.intro}</p>` : ''}
  <form method="post" action="${action}"${err ? html` aria-describedby="${spec.id}-error"` : ''}>
    ${err ? html`<p class="error" role="alert" id="${spec.id}-error"><strong>Not recorded:</strong> ${err.message}</p>` : ''}
    ${csrfField(ctx)}
    ${spec.fields}
    <button type="submit">${spec.button}</button>
  </form>
</section>`;
}

function textField(form: LetterForm, name: string, label: string, val: string, opts: { type?: string; hint?: string; required?: boolean; autocomplete?: string } = {}): SafeHtml {
  const id = `${form}-${name}`;
  return html`<div class="field">
  <label for="${id}">${label}</label>
  ${opts.hint ? html`<span class="hint" id="${id}-hint">${opts.hint}</span>` : ''}
  <input id="${id}" name="${name}" type="${opts.type ?? 'text'}" value="${val}"${opts.hint ? html` aria-describedby="${id}-hint"` : ''}${opts.required ? html` required` : ''}${opts.autocomplete ? html` autocomplete="${opts.autocomplete}"` : ''}>
</div>`;
}

function textArea(form: LetterForm, name: string, label: string, val: string, required = false): SafeHtml {
  const id = `${form}-${name}`;
  return html`<div class="field">
  <label for="${id}">${label}</label>
  <textarea id="${id}" name="${name}" rows="3"${required ? html` required` : ''}>${val}</textarea>
</div>`;
}

function documentChecks(form: LetterForm, legend: string, keys: readonly string[], checked: string[] | undefined, hint?: string): SafeHtml {
  return html`<fieldset class="checks">
  <legend>${legend}</legend>
  ${hint ? html`<p class="hint">${hint}</p>` : ''}
  ${keys.map(
    (k) => html`<div class="check">
    <input type="checkbox" id="${form}-doc-${k}" name="documents" value="${k}"${checked?.includes(k) ? html` checked` : ''}>
    <label for="${form}-doc-${k}">${documentLabel(k)}</label>
  </div>`,
  )}
</fieldset>`;
}

function forms(ctx: PageContext, v: LetterView, rendered: string[]): SafeHtml {
  const s = v.status;
  const me = ctx.session?.user ?? '';
  const vals = (f: LetterForm) => (v.error?.form === f ? v.error.values : undefined);
  const who = (f: LetterForm) => textField(f, 'by', FIELD_LABELS[f].by, value(vals(f), 'by', me), { autocomplete: 'name' });
  const out = s.outstanding;
  const sections: SafeHtml[] = [];
  const section = (spec: FormSpec) => {
    rendered.push(spec.id);
    return formSection(ctx, v, spec);
  };
  if (out.length > 0) {
    sections.push(
      section({
        id: 'receipt',
        title: 'Record receipt',
        button: 'Record receipt',
        fields: html`${documentChecks('receipt', FIELD_LABELS.receipt.documents, out, values(vals('receipt'), 'documents'))}
${textField('receipt', 'receivedOn', FIELD_LABELS.receipt.receivedOn, value(vals('receipt'), 'receivedOn', v.today), { type: 'date', hint: 'Today, unless you change it.' })}
${who('receipt')}
${textArea('receipt', 'note', FIELD_LABELS.receipt.note, value(vals('receipt'), 'note'))}`,
      }),
      section({
        id: 'decline',
        title: 'Record a decline',
        button: 'Record decline',
        intro: 'When the recipient says they will not send some documents.',
        fields: html`${documentChecks('decline', FIELD_LABELS.decline.documents, out, values(vals('decline'), 'documents'), 'Tick none to decline everything still outstanding.')}
${textArea('decline', 'reason', FIELD_LABELS.decline.reason, value(vals('decline'), 'reason'), true)}
${textField('decline', 'on', FIELD_LABELS.decline.on, value(vals('decline'), 'on', v.today), { type: 'date' })}
${who('decline')}`,
      }),
    );
  }
  if (s.nextAction || s.state === 'paused' || s.state === 'needs-attention') {
    sections.push(
      section({
        id: 'extend',
        title: 'Extend the deadline',
        button: 'Extend',
        intro: 'Moves the next step and the ones after it. Give a new date or a number of working days, not both.',
        fields: html`${textField('extend', 'until', FIELD_LABELS.extend.until, value(vals('extend'), 'until'), { type: 'date' })}
${textField('extend', 'workingDays', FIELD_LABELS.extend.workingDays, value(vals('extend'), 'workingDays'), { type: 'number' })}
${textField('extend', 'reason', FIELD_LABELS.extend.reason, value(vals('extend'), 'reason'))}
${who('extend')}`,
      }),
    );
  }
  if (s.state === 'paused') {
    sections.push(section({ id: 'resume', title: 'Resume chasing', button: 'Resume', intro: 'The remaining steps move later by the time the letter was paused.', fields: who('resume') }));
  } else {
    sections.push(
      section({
        id: 'pause',
        title: 'Pause chasing',
        button: 'Pause',
        intro: 'No reminders or escalation while paused.',
        fields: html`${textField('pause', 'reason', FIELD_LABELS.pause.reason, value(vals('pause'), 'reason'))}${who('pause')}`,
      }),
    );
  }
  sections.push(
    section({
      id: 'note',
      title: 'Add a note',
      button: 'Add note',
      fields: html`${textArea('note', 'text', FIELD_LABELS.note.text, value(vals('note'), 'text'), true)}${who('note')}`,
    }),
    section({
      id: 'withdraw',
      title: 'Withdraw the letter',
      button: 'Withdraw',
      intro: 'Stops the letter for good: nothing more can be recorded on it.',
      fields: html`${textField('withdraw', 'reason', FIELD_LABELS.withdraw.reason, value(vals('withdraw'), 'reason'))}${who('withdraw')}
<div class="check">
  <input type="checkbox" id="withdraw-confirm" name="confirm" value="yes" required>
  <label for="withdraw-confirm">Yes, withdraw this letter</label>
</div>`,
    }),
  );
  return html`<section aria-labelledby="record-title" class="record">
  <h2 id="record-title">Record what happened</h2>
  <div class="forms">${sections}</div>
</section>`;
}

export function letterPage(ctx: PageContext, v: LetterView): string {
  const s = v.status;
  const r = s.recipient;
  const ended = FINAL_STATES.includes(s.state);
  const requested = DOCUMENT_KEYS.filter((k) => s.documents[k]?.requested);
  const missing = notReceivedLabel(s.state);
  const notes = s.timeline.filter((e) => e.kind === 'note' || (e.note && (e.kind === 'receipt' || e.kind === 'decline' || e.kind === 'paused' || e.kind === 'withdrawn' || e.kind === 'extension')));
  const next = s.nextAction;
  const overdue = next && Date.parse(next.at) < v.now.getTime();
  const emailLink = (e: EmailRecord) => {
    if (!v.outboxFiles) return '';
    const file = v.outboxFiles.get(e.messageId);
    return file ? html`<a href="/outbox/${encodeURIComponent(file)}">View message<span class="visually-hidden">: ${e.subject}</span></a>` : html`<span class="muted">Not in this outbox</span>`;
  };
  // The forms; a rejected form that is no longer offered (e.g. 'pause' when someone else
  // paused it first) still gets its message, at the top.
  const rendered: string[] = [];
  const recordSection = ended
    ? html`<p class="notice">This letter is finished (${stateLabel(s.state)}); nothing more can be recorded on it.</p>`
    : v.canRecord
      ? forms(ctx, v, rendered)
      : html`<p class="notice">You can read this letter. Recording receipts and the rest needs the staff or lead role.</p>`;
  const orphanError =
    v.error && !rendered.includes(v.error.form)
      ? html`<p class="error" role="alert" id="${v.error.form}-error"><strong>Not recorded:</strong> ${v.error.message}</p>`
      : '';
  const body = html`
${orphanError}
<section class="card facts" aria-labelledby="facts-title">
  <h2 id="facts-title" class="visually-hidden">About this letter</h2>
  <dl>
    <div><dt>State</dt><dd class="state state-${s.state}" id="letter-state">${stateLabel(s.state)}</dd></div>
    <div><dt>Next action</dt><dd id="letter-next">${
      next
        ? html`${actionLabel(next.kind)}, <time datetime="${next.at}">${longDateTime(next.at, v.tz)}</time>${overdue ? html` <strong class="badge overdue">Overdue</strong>` : ''}`
        : html`None${s.state === 'paused' ? ' (paused)' : ''}`
    }</dd></div>
    ${s.attention ? html`<div><dt>Needs attention</dt><dd id="letter-attention">${s.attention}</dd></div>` : ''}
    <div><dt>Recipient</dt><dd>${r.name}${r.role ? html`<br><span class="muted">${r.role}</span>` : ''}</dd></div>
    <div><dt>Organisation</dt><dd>${r.organisation ?? ''}</dd></div>
    <div><dt>Email</dt><dd>${r.email}${r.cc.length ? html`<br><span class="muted">copied to ${r.cc.join(', ')}</span>` : ''}</dd></div>
    <div><dt>Subject</dt><dd>${s.subject}</dd></div>
    <div><dt>Letter dated</dt><dd>${longDate(s.letterDate)}</dd></div>
    <div><dt>Counts as sent</dt><dd>${longDate(s.sentOn)}</dd></div>
    <div><dt>Workflow</dt><dd><code>${v.workflowId}</code></dd></div>
  </dl>
</section>

<section aria-labelledby="docs-title">
  <h2 id="docs-title">Requested documents</h2>
  <div class="table-wrap" role="region" aria-labelledby="docs-title" tabindex="0">
  <table class="documents" id="documents">
    <thead><tr><th scope="col">Document</th><th scope="col">Status</th></tr></thead>
    <tbody>
    ${requested.map((k) => {
      const d = s.documents[k]!;
      return html`<tr data-document="${k}"><th scope="row">${documentLabel(k)}</th><td>${
        d.receivedOn
          ? html`<span class="received">Received ${longDate(d.receivedOn)}</span>${d.receivedBy ? html` <span class="by">(recorded by ${d.receivedBy})</span>` : ''}`
          : d.declinedOn
            ? html`<span class="declined">Declined ${longDate(d.declinedOn)}</span>${d.declineReason ? html`: ${d.declineReason}` : ''}`
            : html`<span class="${missing.className}">${capitalised(missing.text)}</span>`
      }</td></tr>`;
    })}
    </tbody>
  </table>
  </div>
</section>

${recordSection}

${publicationSection(ctx, { status: s, canRecord: v.canRecord, tz: v.tz })}

<section aria-labelledby="timeline-title">
  <h2 id="timeline-title">Timeline</h2>
  <ol class="timeline" id="timeline">
  ${s.timeline.map((e) => html`<li class="tl-${e.kind}"><time datetime="${e.at}">${longDateTime(e.at, v.tz)}</time> <span>${describe(e)}</span></li>`)}
  </ol>
</section>

<section aria-labelledby="emails-title">
  <h2 id="emails-title">Emails sent</h2>
  ${
    s.emails.length === 0
      ? html`<p>None yet.</p>`
      : html`<div class="table-wrap" role="region" aria-labelledby="emails-title" tabindex="0"><table class="emails" id="emails">
    <thead><tr><th scope="col">Sent</th><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">To</th><th scope="col">Asked for</th>${v.outboxFiles ? html`<th scope="col">Message</th>` : ''}</tr></thead>
    <tbody>
    ${s.emails.map(
      (e) => html`<tr>
      <td><time datetime="${e.sentAt}">${longDateTime(e.sentAt, v.tz)}</time></td>
      <td>${KIND_LABELS[e.kind] ?? e.kind}</td>
      <td>${e.subject}</td>
      <td>${join([...e.to, ...e.cc.map((c) => `${c} (cc)`)], html`<br>`)}</td>
      <td>${docList(e.outstanding)}</td>
      ${v.outboxFiles ? html`<td>${emailLink(e)}</td>` : ''}
    </tr>`,
    )}
    </tbody>
  </table></div>`
  }
</section>

<section aria-labelledby="notes-title">
  <h2 id="notes-title">Notes</h2>
  ${
    notes.length === 0
      ? html`<p>No notes.</p>`
      : html`<ul class="notes" id="notes">${notes.map(
          (e) => html`<li><p class="meta"><time datetime="${e.at}">${longDateTime(e.at, v.tz)}</time>${e.by ? html`, ${e.by}` : ''}${NOTE_CONTEXT[e.kind] ? html` (${NOTE_CONTEXT[e.kind]})` : ''}</p><p class="note-text">${e.note}</p></li>`,
        )}</ul>`
  }
</section>

<section aria-labelledby="steps-title">
  <h2 id="steps-title">Schedule</h2>
  <div class="table-wrap" role="region" aria-labelledby="steps-title" tabindex="0">
  <table class="steps">
    <thead><tr><th scope="col">Step</th><th scope="col">Due</th><th scope="col">What happened</th></tr></thead>
    <tbody>
    ${s.steps.map(
      (st) => html`<tr><th scope="row">${actionLabel(st.action)}</th><td><time datetime="${st.dueAt}">${longDateTime(st.dueAt, v.tz)}</time>${whyThisDate(s, st.index)}</td><td>${
        st.status === 'done' ? html`Done${st.firedAt ? html` ${longDateTime(st.firedAt, v.tz)}` : ''}` : st.status === 'pending' ? 'Pending' : st.status === 'skipped' ? 'Skipped' : 'Cancelled'
      }</td></tr>`,
    )}
    </tbody>
  </table>
  </div>
</section>`;
  return page(ctx, {
    title: `${r.organisation ?? r.name} (${s.letterId})`,
    crumbs: [
      { href: '/', label: 'Rounds' },
      { href: roundHref(s.roundId), label: `Round ${s.roundId}` },
    ],
    flash: v.done ? DONE_MESSAGES[v.done] : undefined,
    body,
  });
}

/** Issue 16: the step's explanation (domain/explain.ts), folded under its date. */
function whyThisDate(s: LetterStatus, step: number) {
  const e = s.explanations?.find((x) => x.step === step);
  return e ? html`<details class="why" id="why-${step}"><summary>Why this date?</summary><p>${e.text}</p></details>` : '';
}
