// Views of the deadlines area (issue 16): the Calendar page (a closure, what it would move, then
// the per-letter report), the round-wide actions' confirmation and report, response statistics
// (the rounds page's table and an organisation's page). Every value is escaped by `html`.
import type { DocumentKey } from '../../domain/documents';
import type { Stats } from '../../domain/stats';
import type { CalendarPreview } from '../../domain/types';
import type { LetterRow } from '../queries';
import type { Outcome } from '../round-actions';
import { documentLabel, longDateTime } from './format';
import { html, join, type SafeHtml } from './html';
import { csrfField, page, type PageContext } from './layout';
import { letterHref, roundHref, stateLabel } from './views';

export const organisationHref = (name: string) => `/organisations/${encodeURIComponent(name)}`;

// ---------------------------------------------------------------- statistics

const STAT_COLUMNS: [string, (x: Stats) => unknown][] = [
  ['Letters', (x) => x.letters],
  ['Answered in full', (x) => x.answeredInFull],
  ['In part', (x) => x.answeredInPart],
  ['Declined', (x) => x.declined],
  ['Unanswered', (x) => x.unanswered],
  ['Withdrawn', (x) => x.withdrawn],
  ['Within the first deadline', (x) => x.answeredWithinFirstDeadline],
  [
    'Median working days to each document',
    (x) => {
      const entries = Object.entries(x.medianWorkingDaysTo) as [DocumentKey, number | null][];
      return entries.length === 0 ? '–' : join(entries.map(([k, v]) => html`${documentLabel(k)}: ${v ?? '–'}`), html`<br>`);
    },
  ],
  ['Chases sent', (x) => x.chases],
  ['Median chases to a full answer', (x) => x.medianChasesToFull ?? '–'],
  ['Overdue now', (x) => x.overdueNow],
  ['Most working days overdue', (x) => x.overdueWorkingDays.max ?? '–'],
];

/** One row per group (round or organisation), one column per figure; an organisation links to its page (a round's link is in the rounds table above). */
export function statsTable(stats: Stats[], kind: 'round' | 'organisation', id: string): SafeHtml {
  const name = (g: string) => (kind === 'round' ? g : html`<a href="${organisationHref(g)}">${g}</a>`);
  return html`<div class="table-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0">
<table class="stats" id="${id}">
  <caption id="${id}-caption">Response statistics per ${kind}${kind === 'organisation' ? ' (across rounds)' : ''}</caption>
  <thead><tr><th scope="col">${kind === 'round' ? 'Round' : 'Organisation'}</th>${STAT_COLUMNS.map(([h]) => html`<th scope="col">${h}</th>`)}</tr></thead>
  <tbody>
  ${stats.map((x) => html`<tr data-group="${x.group}"><th scope="row">${name(x.group)}</th>${STAT_COLUMNS.map(([h, f]) => html`<td data-label="${h}">${f(x)}</td>`)}</tr>`)}
  </tbody>
</table>
</div>`;
}

/** GET /organisations/:name: its statistics across rounds and its letters. */
export function organisationPage(ctx: PageContext, v: { name: string; stats: Stats | undefined; rows: LetterRow[]; tz: string }): string {
  const body = v.stats
    ? html`${statsTable([v.stats], 'organisation', 'organisation-stats')}
<h2>Its letters</h2>
<div class="table-wrap" role="region" aria-labelledby="organisation-letters-caption" tabindex="0">
<table class="register" id="organisation-letters">
  <caption id="organisation-letters-caption">Letters to ${v.name}, in every round</caption>
  <thead><tr><th scope="col">Letter</th><th scope="col">Round</th><th scope="col">State</th><th scope="col">Next action</th></tr></thead>
  <tbody>
  ${v.rows.map(
    (r) => html`<tr data-letter="${r.workflowId}"><th scope="row"><a href="${letterHref(r.roundId, r.letterId)}">${r.letterId}</a></th><td data-label="Round"><a href="${roundHref(r.roundId)}">${r.roundId}</a></td><td data-label="State">${stateLabel(r.state)}</td><td data-label="Next action">${r.nextActionAt ? longDateTime(r.nextActionAt, v.tz) : html`<span class="muted">None</span>`}</td></tr>`,
  )}
  </tbody>
</table>
</div>`
    : html`<p>There are no letters to ${v.name}.</p>`;
  return page(ctx, { title: `Organisation ${v.name}`, crumbs: [{ href: '/', label: 'Rounds' }], body, wide: true });
}

// ---------------------------------------------------------------- per-letter reports

const OUTCOME_WORDS = { changed: 'Changed', unchanged: 'Unchanged (it already had it)', refused: 'Refused' } as const;

/** The per-letter report of a round-wide change: what each letter said, refusals first. */
export function outcomesTable(outcomes: Outcome[], id: string): SafeHtml {
  const kind = (o: Outcome) => (o.unchanged ? 'unchanged' : o.ok ? 'changed' : 'refused');
  const order = { refused: 0, changed: 1, unchanged: 2 } as const;
  const sorted = [...outcomes].sort((a, b) => order[kind(a)] - order[kind(b)] || a.workflowId.localeCompare(b.workflowId));
  const count = (k: keyof typeof OUTCOME_WORDS) => outcomes.filter((o) => kind(o) === k).length;
  return html`<p id="${id}-summary"><strong>${count('changed')}</strong> changed, <strong>${count('refused')}</strong> refused, <strong>${count('unchanged')}</strong> unchanged.</p>
<div class="table-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0">
<table class="report" id="${id}">
  <caption id="${id}-caption">What each letter said</caption>
  <thead><tr><th scope="col">Letter</th><th scope="col">Outcome</th><th scope="col">Details</th></tr></thead>
  <tbody>
  ${sorted.map((o) => {
    const [roundId, letterId] = splitId(o.workflowId);
    return html`<tr data-letter="${o.workflowId}" class="outcome-${kind(o)}"><th scope="row"><a href="${letterHref(roundId, letterId)}">${o.workflowId}</a></th><td>${OUTCOME_WORDS[kind(o)]}</td><td>${o.message}</td></tr>`;
  })}
  </tbody>
</table>
</div>`;
}

function splitId(workflowId: string): [string, string] {
  const i = workflowId.lastIndexOf('/');
  return [workflowId.slice(0, i), workflowId.slice(i + 1)];
}

// ---------------------------------------------------------------- calendar

export interface CalendarForm {
  from: string;
  to: string;
  reason: string;
  /** A round id, or '' for every open letter. */
  round: string;
}

const PREVIEW_WORDS: Record<CalendarPreview['outcome'], string> = { changes: 'Would change', unchanged: 'Unchanged (it already has it)', refused: 'Would refuse' };

/** GET /calendar, and the same page with what a closure would do (preview) or did (report). */
export function calendarPage(
  ctx: PageContext,
  v: {
    rounds: string[];
    form: CalendarForm;
    error?: string;
    preview?: (CalendarPreview & { workflowId: string })[];
    report?: Outcome[];
  },
): string {
  const f = v.form;
  const fields = html`${csrfField(ctx)}
  <div class="field"><label for="closure-from">From (first closed day)</label><input type="date" id="closure-from" name="from" value="${f.from}" required></div>
  <div class="field"><label for="closure-to">To (last closed day; empty for one day)</label><input type="date" id="closure-to" name="to" value="${f.to}"></div>
  <div class="field"><label for="closure-reason">Reason (shown on each letter whose dates move)</label><input type="text" id="closure-reason" name="reason" value="${f.reason}" maxlength="200" required></div>
  <div class="field"><label for="closure-round">Letters</label><select id="closure-round" name="round">
    <option value=""${f.round === '' ? html` selected` : ''}>Every open letter, in every round</option>
    ${v.rounds.map((r) => html`<option value="${r}"${f.round === r ? html` selected` : ''}>Round ${r}</option>`)}
  </select></div>`;
  const hidden = html`${csrfField(ctx)}<input type="hidden" name="from" value="${f.from}"><input type="hidden" name="to" value="${f.to}"><input type="hidden" name="reason" value="${f.reason}"><input type="hidden" name="round" value="${f.round}">`;
  let result: SafeHtml | string = '';
  if (v.preview) {
    const changes = v.preview.filter((p) => p.outcome === 'changes').length;
    result = html`<section aria-labelledby="preview-heading">
<h2 id="preview-heading">What the closure would do (nothing has changed yet)</h2>
<p id="preview-summary">It would go to <strong>${v.preview.length}</strong> open letter${v.preview.length === 1 ? '' : 's'}: ${changes} would take it, ${v.preview.filter((p) => p.outcome === 'refused').length} would refuse, ${v.preview.filter((p) => p.outcome === 'unchanged').length} already have it.</p>
<div class="table-wrap" role="region" aria-labelledby="preview-caption" tabindex="0">
<table class="report" id="preview">
  <caption id="preview-caption">Each open letter, and what would move</caption>
  <thead><tr><th scope="col">Letter</th><th scope="col">Would</th><th scope="col">Details</th></tr></thead>
  <tbody>
  ${v.preview.map((p) => {
    const [roundId, letterId] = splitId(p.workflowId);
    return html`<tr data-letter="${p.workflowId}" class="preview-${p.outcome}"><th scope="row"><a href="${letterHref(roundId, letterId)}">${p.workflowId}</a></th><td>${PREVIEW_WORDS[p.outcome]}</td><td>${p.message}</td></tr>`;
  })}
  </tbody>
</table>
</div>
${
  changes > 0
    ? html`<form method="post" action="/calendar" class="confirm">${hidden}<input type="hidden" name="step" value="apply"><button type="submit">Apply the closure to ${v.preview.length} letter${v.preview.length === 1 ? '' : 's'}</button></form>`
    : html`<p>There is nothing to apply.</p>`
}
</section>`;
  }
  if (v.report) {
    result = html`<section aria-labelledby="report-heading"><h2 id="report-heading">The closure was sent to ${v.report.length} letter${v.report.length === 1 ? '' : 's'}</h2>${outcomesTable(v.report, 'calendar-report')}</section>`;
  }
  const body = html`<p>Close the office for a day or a period: every open letter concerned plans its remaining steps again, and its timeline says what moved. First see what would move; then apply. Applying again changes nothing twice.</p>
<form method="post" action="/calendar" class="stacked" novalidate>
  ${v.error ? html`<p class="error" role="alert" id="calendar-error"><strong>Not sent:</strong> ${v.error}</p>` : ''}
  ${fields}
  <input type="hidden" name="step" value="preview">
  <button type="submit">Show what would move</button>
</form>
${result}`;
  return page(ctx, { title: 'Calendar', crumbs: [{ href: '/', label: 'Rounds' }], body, wide: true });
}

// ---------------------------------------------------------------- round-wide actions

export const ROUND_ACTIONS = ['extend', 'pause', 'resume', 'note', 'withdraw'] as const;
export type RoundAction = (typeof ROUND_ACTIONS)[number];
export const ROUND_ACTION_LABELS: Record<RoundAction, string> = {
  extend: 'Extend by working days',
  pause: 'Pause chasing',
  resume: 'Resume chasing',
  note: 'Add a note',
  withdraw: 'Withdraw',
};

export interface RoundActionForm {
  action: string;
  workingDays: string;
  reason: string;
  text: string;
}

/** The form under the register: the checked letters (form="round-actions") and one action for all of them. */
export function roundActionsForm(ctx: PageContext, roundId: string): SafeHtml {
  return html`<form method="post" action="${roundHref(roundId)}/actions" id="round-actions" class="stacked round-actions" aria-labelledby="round-actions-heading">
  <h2 id="round-actions-heading">Change the letters ticked above</h2>
  ${csrfField(ctx)}
  <div class="field"><label for="round-action">Action</label><select id="round-action" name="action">${ROUND_ACTIONS.map((a) => html`<option value="${a}">${ROUND_ACTION_LABELS[a]}</option>`)}</select></div>
  <div class="field"><label for="round-working-days">Working days (extend)</label><input type="number" id="round-working-days" name="workingDays" min="1" max="250"></div>
  <div class="field"><label for="round-reason">Reason (extend, pause, withdraw)</label><input type="text" id="round-reason" name="reason" maxlength="4000"></div>
  <div class="field"><label for="round-text">Note (add a note)</label><textarea id="round-text" name="text" rows="2" maxlength="4000"></textarea></div>
  <input type="hidden" name="step" value="review">
  <button type="submit">Review the change</button>
</form>`;
}

/** What the action would do, in words, for the confirmation. */
export function actionText(action: RoundAction, f: RoundActionForm): string {
  switch (action) {
    case 'extend':
      return `extend by ${f.workingDays} working days${f.reason ? ` (${f.reason})` : ''}`;
    case 'pause':
      return `pause chasing${f.reason ? ` (${f.reason})` : ''}`;
    case 'resume':
      return 'resume chasing';
    case 'note':
      return `add the note “${f.text}”`;
    case 'withdraw':
      return `withdraw${f.reason ? ` (${f.reason})` : ''}`;
  }
}

/** The confirmation (a dry run: nothing has changed) or, after it, the per-letter report. */
export function roundActionsPage(
  ctx: PageContext,
  v: { roundId: string; action: RoundAction; form: RoundActionForm; rows: LetterRow[]; missing: string[]; tz: string; report?: Outcome[] },
): string {
  const what = actionText(v.action, v.form);
  const hidden = html`${csrfField(ctx)}<input type="hidden" name="action" value="${v.action}"><input type="hidden" name="workingDays" value="${v.form.workingDays}"><input type="hidden" name="reason" value="${v.form.reason}"><input type="hidden" name="text" value="${v.form.text}">${v.rows.map(
    (r) => html`<input type="hidden" name="ids" value="${r.letterId}">`,
  )}`;
  const body = v.report
    ? html`<h2>Done: ${what}</h2>${outcomesTable(v.report, 'actions-report')}<p><a href="${roundHref(v.roundId)}">Back to the register</a></p>`
    : html`<h2 id="confirm-heading">Confirm: ${what}, on ${v.rows.length} letter${v.rows.length === 1 ? '' : 's'}</h2>
<p>Nothing has changed yet. Each letter is changed through its own update: one that refuses (finished, say) is reported and the others go on.</p>
${v.missing.length ? html`<p class="error" role="alert">Not in round ${v.roundId}, left out: ${v.missing.join(', ')}</p>` : ''}
<div class="table-wrap" role="region" aria-labelledby="confirm-caption" tabindex="0">
<table class="report" id="confirm">
  <caption id="confirm-caption">The letters it would change</caption>
  <thead><tr><th scope="col">Letter</th><th scope="col">Now</th><th scope="col">Next action</th></tr></thead>
  <tbody>
  ${v.rows.map(
    (r) => html`<tr data-letter="${r.letterId}"><th scope="row"><a href="${letterHref(r.roundId, r.letterId)}">${r.letterId}</a></th><td>${stateLabel(r.state)}</td><td>${r.nextActionAt ? longDateTime(r.nextActionAt, v.tz) : html`<span class="muted">None</span>`}</td></tr>`,
  )}
  </tbody>
</table>
</div>
<form method="post" action="${roundHref(v.roundId)}/actions" class="confirm">${hidden}<input type="hidden" name="step" value="apply"><button type="submit">Yes: ${what}, on ${v.rows.length} letter${v.rows.length === 1 ? '' : 's'}</button></form>
<p><a href="${roundHref(v.roundId)}">Cancel</a></p>`;
  return page(ctx, { title: `Change letters of ${v.roundId}`, crumbs: [{ href: '/', label: 'Rounds' }, { href: roundHref(v.roundId), label: v.roundId }], body, wide: true });
}
