// Starting a round (leads): the round folders there are, and one folder checked as
// `rounds check` shows it (each letter's recipient, documents and dates, where each value
// came from, every problem by file, line and field), with the form that starts it.
import { formatAfter } from '../../domain/policy';
import { formatIssue, type LetterPlan, type RoundIssue, type RoundPlan } from '../../domain/round';
import { actionLabel, documentLabel, longDate } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, page, type PageContext } from './layout';
import type { RoundFolder, RoundFolderScan } from './round-folders';

export const startHref = (folder: string) => `/start/${encodeURIComponent(folder)}`;

/** The most letters the check page lists one by one (the rest are counted; `rounds check` shows all). */
export const MAX_LETTERS_SHOWN = 500;
/** The most problems of each kind listed. */
export const MAX_ISSUES_SHOWN = 1000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function errorsOf(plan: RoundPlan): RoundIssue[] {
  return plan.issues.filter((i) => i.level === 'error');
}

function warningsOf(plan: RoundPlan): RoundIssue[] {
  return plan.issues.filter((i) => i.level === 'warning');
}

// ---------------------------------------------------------------- the list

export interface StartListView {
  /** Whether any folders are configured at all. */
  configured: boolean;
  roundsDirs: readonly string[];
  scan: RoundFolderScan;
  entries: { folder: RoundFolder; plan: RoundPlan }[];
}

export function startListPage(ctx: PageContext, v: StartListView): string {
  if (!v.configured) {
    return page(ctx, {
      title: 'Start a round',
      body: html`<p>No round folders are configured for this dashboard, so there is nothing to start here.
Run it with <code>rounds serve</code>, which looks for round folders in <code>ROUNDS_DIR</code> (default <code>rounds/</code>) and <code>examples/</code>,
or start a round from the command line with <code>rounds start &lt;dir&gt;</code>.</p>`,
    });
  }
  const sections = v.roundsDirs.map((base, n) => {
    if (v.scan.missing.includes(base)) {
      return html`<section aria-labelledby="dir-${n}"><h2 id="dir-${n}">In <code>${base}</code></h2><p class="muted">This folder does not exist (yet). Put round folders in it (each with round.yaml and letters/) and reload.</p></section>`;
    }
    const entries = v.entries.filter((e) => e.folder.base === base);
    return html`<section aria-labelledby="dir-${n}">
<h2 id="dir-${n}">In <code>${base}</code></h2>
${
  entries.length === 0
    ? html`<p class="muted">No round folders here: a round folder has round.yaml, letters/ and optionally recipients.csv.</p>`
    : html`<div class="table-wrap" role="region" aria-labelledby="folders-caption-${n}" tabindex="0">
<table class="folders">
  <caption id="folders-caption-${n}">Round folders in ${base}</caption>
  <thead><tr><th scope="col">Folder</th><th scope="col">Round</th><th scope="col">Title</th><th scope="col">Letters</th><th scope="col">Check</th></tr></thead>
  <tbody>
  ${entries.map(({ folder, plan }) => {
    const errors = errorsOf(plan).length;
    const warnings = warningsOf(plan).length;
    return html`<tr data-folder="${folder.name}">
    <th scope="row"><a href="${startHref(folder.name)}">${folder.name}</a></th>
    <td>${plan.round?.id ?? html`<span class="muted">unknown</span>`}</td>
    <td>${plan.round?.title ?? ''}</td>
    <td class="num">${plan.letters.length}</td>
    <td>${
      errors > 0
        ? html`<strong class="check-bad">${plural(errors, 'error')}</strong>`
        : html`<strong class="check-ok">ok</strong>`
    }${warnings > 0 ? html` <span class="muted">(${plural(warnings, 'warning')})</span>` : ''}</td>
  </tr>`;
  })}
  </tbody>
</table>
</div>`
}
</section>`;
  });
  const notes = [
    ...v.scan.shadowed.map((s) => html`<li><code>${s.folder.dir}</code> is not listed: <code>${s.by.dir}</code> has the same name and comes first.</li>`),
    ...v.scan.badNames.map((b) => html`<li><code>${b.name}</code> in <code>${b.base}</code> is not listed: a folder's name may have only letters, digits, '.', '-' and '_'.</li>`),
  ];
  const body = html`
<p>Choose a round folder to check what its letters say. A round with no errors can then be started: one workflow per letter. Starting twice starts nothing twice.</p>
${sections}
${notes.length > 0 ? html`<h2>Not listed</h2><ul>${notes}</ul>` : ''}`;
  return page(ctx, { title: 'Start a round', body, wide: true });
}

// ---------------------------------------------------------------- one folder, checked

export interface StartForm {
  delivery: string;
  sentOn: string;
}

export interface RoundCheckView {
  folder: RoundFolder;
  plan: RoundPlan;
  /** What the form shows: its defaults, or what was submitted. */
  form: StartForm;
  /** The dates the letters count as sent on when the field is left as it is. */
  defaultSentOn: string[];
  /** Why the start was refused (422). */
  error?: string;
}

function source(letter: LetterPlan, field: string): SafeHtml | string {
  const s = letter.sources[field];
  return s ? html` <span class="source">from ${s}</span>` : '';
}

function fact(label: string, value: SafeHtml | string | undefined, src: SafeHtml | string = ''): SafeHtml | string {
  if (value === undefined || value === '') return '';
  return html`<div><dt>${label}</dt><dd>${value}${src}</dd></div>`;
}

function letterCard(l: LetterPlan, issues: RoundIssue[]): SafeHtml {
  const r = l.recipient;
  const missing = html`<span class="check-bad">missing</span>`;
  return html`<section class="card letter-check" id="letter-${l.letterId}" aria-labelledby="letter-${l.letterId}-title">
  <h3 id="letter-${l.letterId}-title">${l.letterId}${l.file ? html` <span class="muted">(${l.file})</span>` : ''}</h3>
  ${
    issues.length > 0
      ? html`<ul class="issues">${issues.map((i) => html`<li class="issue-${i.level}"><strong>${i.level === 'error' ? 'Error' : 'Warning'}:</strong> ${formatIssue(i)}</li>`)}</ul>`
      : ''
  }
  <dl>
    ${fact('Recipient', r.name || missing, source(l, 'name'))}
    ${fact('Role', r.role, source(l, 'role'))}
    ${fact('Organisation', r.organisation, source(l, 'organisation'))}
    ${fact('Email', r.email || missing, source(l, 'email'))}
    ${fact('Cc', r.cc.join(', '))}
    ${fact('Escalation also to', r.escalateTo.join(', '))}
    ${fact('Date', l.letterDate ? html`<time datetime="${l.letterDate}">${longDate(l.letterDate)}</time> (${l.letterDate})` : missing, source(l, 'letterDate'))}
    ${fact('Address', l.address?.join(', '), source(l, 'address'))}
    ${fact('Salutation', r.salutation, source(l, 'salutation'))}
    ${fact(
      'Requested documents',
      l.documents.length > 0 ? html`<ul class="docs">${l.documents.map((k) => html`<li>${documentLabel(k)} <code>${k}</code></li>`)}</ul>` : missing,
      source(l, 'documents'),
    )}
    ${fact('Already published', l.alreadyPublished.length > 0 ? html`${l.alreadyPublished.map((k) => html`<code>${k}</code> `)}(the letter says so: not requested)` : '')}
    ${fact(
      'Publication',
      l.publicationRequested === undefined ? '' : l.publicationRequested ? 'the letter asks that the response can be published' : 'no request to publish the response',
    )}
    ${fact('Steps', l.sources.steps ? l.policy.steps.map((s) => `${formatAfter(s.after)}: ${actionLabel(s.action)}`).join('; ') : '', source(l, 'steps'))}
  </dl>
</section>`;
}

function issueList(kind: 'error' | 'warning', issues: RoundIssue[]): SafeHtml | string {
  if (issues.length === 0) return '';
  const shown = issues.slice(0, MAX_ISSUES_SHOWN);
  const title = kind === 'error' ? plural(issues.length, 'error') : plural(issues.length, 'warning');
  return html`<section aria-labelledby="${kind}s-title">
<h2 id="${kind}s-title">${title}</h2>
<ul class="issues" id="${kind}s">${shown.map((i) => html`<li class="issue-${i.level}">${i.file}${i.line !== undefined ? html`, <span class="line">line ${i.line}</span>` : ''}${i.field ? html`, <code>${i.field}</code>` : ''}: ${i.message}</li>`)}</ul>
${issues.length > shown.length ? html`<p class="muted">And ${issues.length - shown.length} more: <code>rounds check</code> lists them all.</p>` : ''}
</section>`;
}

function startFormSection(ctx: PageContext, v: RoundCheckView): SafeHtml {
  const n = v.plan.letters.length;
  const delivery = v.form.delivery === 'send' || v.form.delivery === 'send-inline' ? v.form.delivery : 'record-sent';
  const defaults = v.defaultSentOn;
  const defaultText =
    defaults.length === 1
      ? html`the round's date, ${longDate(defaults[0])}`
      : html`each letter's own date (${defaults.length > 0 ? `${longDate(defaults[0])} to ${longDate(defaults[defaults.length - 1])}` : 'none given'})`;
  return html`<section class="card" id="start" aria-labelledby="start-title">
<h2 id="start-title">Start this round</h2>
<form method="post" action="${startHref(v.folder.name)}"${v.error ? html` aria-describedby="start-error"` : ''}>
  ${v.error ? html`<p class="error" role="alert" id="start-error"><strong>Not started:</strong> ${v.error}</p>` : ''}
  ${csrfField(ctx)}
  <fieldset class="checks">
    <legend>How the letters go out</legend>
    <div class="check"><input type="radio" id="delivery-record-sent" name="delivery" value="record-sent"${delivery === 'record-sent' ? html` checked` : ''}><label for="delivery-record-sent">They were sent by other means: only record them as sent, then chase</label></div>
    <div class="check"><input type="radio" id="delivery-send" name="delivery" value="send"${delivery === 'send' ? html` checked` : ''}><label for="delivery-send">Email each letter now, then chase: a covering note with the letter attached as a PDF</label></div>
    <div class="check"><input type="radio" id="delivery-send-inline" name="delivery" value="send-inline"${delivery === 'send-inline' ? html` checked` : ''}><label for="delivery-send-inline">Email each letter now, then chase: the letter itself in the email</label></div>
  </fieldset>
  <div class="field">
    <label for="start-sentOn">Counts as sent on</label>
    <span class="hint" id="start-sentOn-hint">A date like 2020-10-13, or <code>now</code>. Left as it is: ${defaultText}. Steps are counted from this date; a letter that counts as sent long ago catches up at once with only the latest step already due.</span>
    <input id="start-sentOn" name="sentOn" type="text" value="${v.form.sentOn}" aria-describedby="start-sentOn-hint" autocomplete="off" spellcheck="false">
  </div>
  <button type="submit">Start ${plural(n, 'letter')}</button>
</form>
</section>`;
}

export function roundCheckPage(ctx: PageContext, v: RoundCheckView): string {
  const { plan } = v;
  const errors = errorsOf(plan);
  const warnings = warningsOf(plan);
  const round = plan.round;
  const shown = plan.letters.slice(0, MAX_LETTERS_SHOWN);
  const byLetter = (id: string) => plan.issues.filter((i) => i.letterId === id);
  const body = html`
${
  round
    ? html`<section class="card facts" aria-label="The round">
  <dl>
    <div><dt>Round id</dt><dd>${round.id}</dd></div>
    <div><dt>Title</dt><dd>${round.title}</dd></div>
    <div><dt>Subject</dt><dd>${round.subject}</dd></div>
    <div><dt>Letters</dt><dd>${plan.letters.length}</dd></div>
    <div><dt>From</dt><dd>${round.sender.name} &lt;${round.sender.email}&gt;</dd></div>
    <div><dt>Coordinator (replies to)</dt><dd>${round.coordinator.name}${round.coordinator.role ? `, ${round.coordinator.role}` : ''} &lt;${round.coordinator.email}&gt;</dd></div>
    ${round.letterDate ? html`<div><dt>Letter date</dt><dd>${longDate(round.letterDate)} (${round.letterDate})</dd></div>` : ''}
    ${round.sentOn ? html`<div><dt>Counts as sent on</dt><dd>${longDate(round.sentOn)} (${round.sentOn})</dd></div>` : ''}
    <div><dt>Steps</dt><dd>${round.policy.steps.map((s) => `${formatAfter(s.after)}: ${actionLabel(s.action)}`).join('; ')} (at ${round.policy.sendAt}, ${round.policy.timezone})</dd></div>
    <div><dt>Folder</dt><dd><code>${v.folder.dir}</code></dd></div>
  </dl>
</section>`
    : html`<p>The folder <code>${v.folder.dir}</code> could not be read as a round.</p>`
}
${v.error && !(errors.length === 0 && round) ? html`<p class="error" role="alert" id="start-error"><strong>Not started:</strong> ${v.error}</p>` : ''}
<p class="${errors.length > 0 ? 'error' : 'notice'}" id="check-result">${
    errors.length > 0 ? `${plural(errors.length, 'error')}: the round cannot be started until ${errors.length === 1 ? 'it is' : 'they are'} fixed in the folder's files.` : 'ok: the round can be started.'
  }</p>
${issueList('error', errors)}
${issueList('warning', warnings)}
${errors.length === 0 && round ? startFormSection(ctx, v) : ''}
${
  plan.letters.length > 0
    ? html`<h2>The letters</h2>
<p class="hint">What was read from each letter, and where each value came from.</p>
<div class="letter-checks">${shown.map((l) => letterCard(l, byLetter(l.letterId)))}</div>
${plan.letters.length > shown.length ? html`<p class="muted">And ${plan.letters.length - shown.length} more letters: <code>rounds check ${v.folder.dir}</code> lists them all.</p>` : ''}`
    : ''
}`;
  return page(ctx, {
    title: round ? `Start ${round.id}` : `Round folder ${v.folder.name}`,
    crumbs: [{ href: '/start', label: 'Start a round' }],
    body,
    wide: true,
  });
}

/** A round's register just after its letters were started, before Temporal lists them. */
export function justStartedPage(ctx: PageContext, roundId: string): string {
  return page(ctx, {
    title: `Round ${roundId}`,
    crumbs: [{ href: '/', label: 'Rounds' }],
    body: html`<p class="notice">Temporal lists newly started letters within a few seconds: reload this page to see the register.</p>`,
  });
}
