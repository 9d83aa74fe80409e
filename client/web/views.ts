// Views: rounds, a round's register, sign-in and error pages. Pure functions from data to
// HTML (through `html`, which escapes every value).
import { DOCUMENT_KEYS, type DocumentKey } from '../../domain/documents';
import { LETTER_STATES, type LetterState } from '../../domain/states';
import type { LetterStatus } from '../../domain/types';
import type { LetterRow, RoundSummary } from '../queries';
import { SORT_KEYS, STATE_ORDER, type SortKey } from '../register';
import { actionLabel, documentLabel, longDate, longDateTime, notReceivedLabel } from './format';
import { html, queryString, type SafeHtml } from './html';
import { csrfField, page, type PageContext } from './layout';

export function stateLabel(state: string): string {
  return (LETTER_STATES as Record<string, string>)[state] ?? 'Unknown (the letter’s workflow is not running normally)';
}

export const roundHref = (roundId: string) => `/rounds/${encodeURIComponent(roundId)}`;
export const letterHref = (roundId: string, letterId: string) => `/letters/${encodeURIComponent(roundId)}/${encodeURIComponent(letterId)}`;

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole);
}

function progress(done: number, total: number, id: string): SafeHtml {
  return html`<div class="progress">
  <progress id="${id}" max="${total}" value="${done}">${percent(done, total)}%</progress>
  <span>${done} of ${total} complete or declined (${percent(done, total)}%)</span>
</div>`;
}

// ---------------------------------------------------------------- rounds

export function roundsPage(ctx: PageContext, rounds: RoundSummary[], more?: SafeHtml): string {
  const body =
    rounds.length === 0
      ? html`<p>There are no rounds yet. Start one from a round folder with <code>rounds start &lt;dir&gt;</code>${
          ctx.session?.role === 'lead' ? html`, or on <a href="/start">Start a round</a>` : ''
        }.</p>`
      : html`<div class="table-wrap" role="region" aria-labelledby="rounds-caption" tabindex="0">
<table class="rounds">
  <caption id="rounds-caption">Every round, with how far it has got</caption>
  <thead><tr><th scope="col">Round</th><th scope="col">Letters</th><th scope="col">Progress</th><th scope="col">Overdue</th><th scope="col">Letters by state</th><th scope="col"><span class="visually-hidden">Export</span></th></tr></thead>
  <tbody>
  ${rounds.map((r, i) => {
    const done = (r.byState.complete ?? 0) + (r.byState.declined ?? 0);
    return html`<tr>
    <th scope="row"><a href="${roundHref(r.roundId)}">${r.roundId}</a></th>
    <td class="num">${r.letters}</td>
    <td><label class="visually-hidden" for="progress-${i}">Progress of ${r.roundId}</label>${progress(done, r.letters, `progress-${i}`)}</td>
    <td class="num">${r.overdue > 0 ? html`<a href="${roundHref(r.roundId)}${queryString({ state: 'overdue' })}" class="overdue">${r.overdue}</a>` : '0'}</td>
    <td><ul class="counts">${[...STATE_ORDER, 'unknown' as const]
      .filter((s) => (r.byState[s] ?? 0) > 0)
      .map((s) => html`<li><a href="${roundHref(r.roundId)}${queryString({ state: s === 'unknown' ? 'unknown' : s })}">${stateLabel(s)}</a>: ${r.byState[s]}</li>`)}</ul></td>
    <td><a href="${roundHref(r.roundId)}/export.csv" download>CSV<span class="visually-hidden"> export of ${r.roundId}</span></a></td>
  </tr>`;
  })}
  </tbody>
</table>
</div>`;
  return page(ctx, { title: 'Rounds', body: more ? html`${body}${more}` : body });
}

// ---------------------------------------------------------------- register

export const SORT_LABELS: Record<SortKey, string> = {
  next: 'Next action',
  letter: 'Letter',
  recipient: 'Recipient',
  organisation: 'Organisation',
  state: 'State',
  outstanding: 'Documents',
};

/**
 * One row of the register: the listing's row, whose memo gives the recipient and requested
 * documents; for a letter started without a memo, its status (or why it could not be read).
 */
export interface RegisterRow {
  row: LetterRow;
  status?: LetterStatus;
  /** Why the status could not be read. */
  error?: string;
}

export interface RegisterView {
  roundId: string;
  total: number;
  counts: Partial<Record<LetterState | 'unknown', number>>;
  overdue: number;
  /** '' (all), a state, 'overdue' or 'unknown'. */
  filter: string;
  /** What the register is searched for (letter id, recipient, organisation); '' for no search. */
  search: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  page: number;
  pages: number;
  matching: number;
  pageSize: number;
  rows: RegisterRow[];
  /**
   * Set when the page came from visibility a page at a time (client/register-query.ts): `next`
   * is the token of the next page (absent on the last), and `withinPage` says the sort (by
   * recipient or organisation) orders this page's letters only.
   */
  paged?: { next?: string; withinPage: boolean };
  now: Date;
  tz: string;
  /** The round-wide actions' form (deadlines-view.ts): each row gets a checkbox that belongs to it. */
  actions?: SafeHtml;
}

function isOverdue(at: string | null | undefined, now: Date): boolean {
  return !!at && Date.parse(at) < now.getTime();
}

function nextActionCell(r: RegisterRow, now: Date, tz: string): SafeHtml {
  // The kind comes from the status, else from the progress memo; the time from visibility.
  const next = r.status ? r.status.nextAction : r.row.nextActionAt ? { kind: r.row.progress?.next ?? '', at: r.row.nextActionAt } : null;
  if (!next) return html`<span class="muted">None</span>`;
  return html`${next.kind ? html`${actionLabel(next.kind)}<br>` : ''}<time datetime="${next.at}">${longDateTime(next.at, tz)}</time>${
    isOverdue(next.at, now) ? html` <strong class="badge overdue">Overdue</strong>` : ''
  }`;
}

/** What became of one requested document: from the status, else from the memos (the progress memo has the dates). */
function answerOf(r: RegisterRow, k: DocumentKey): { receivedOn?: string; declinedOn?: string } | 'answered' | undefined {
  if (r.status) return r.status.documents[k];
  const answer = r.row.progress?.answered[k];
  if (answer) return answer;
  return r.row.outstanding.includes(k) ? undefined : 'answered';
}

function documentsCell(r: RegisterRow): SafeHtml {
  const s = r.status;
  const missing = notReceivedLabel(s?.state ?? r.row.state);
  const requested = s ? DOCUMENT_KEYS.filter((k) => s.documents[k]?.requested) : r.row.requested && DOCUMENT_KEYS.filter((k) => r.row.requested!.includes(k));
  if (!requested) {
    return r.row.outstanding.length > 0
      ? html`<ul class="docs">${r.row.outstanding.map((k) => html`<li>${documentLabel(k)}: <span class="${missing.className}">${missing.text}</span></li>`)}</ul>`
      : html`<span class="muted">Unknown</span>`;
  }
  return html`<ul class="docs">${requested.map((k) => {
    const d = answerOf(r, k);
    const what =
      d === 'answered'
        ? // a letter started before its workflow published progress: the dates are on its page
          html`<span class="answered">received or declined</span>`
        : d?.receivedOn
          ? html`<span class="received">received ${longDate(d.receivedOn)}</span>`
          : d?.declinedOn
            ? html`<span class="declined">declined ${longDate(d.declinedOn)}</span>`
            : html`<span class="${missing.className}">${missing.text}</span>`;
    return html`<li>${documentLabel(k)}: ${what}</li>`;
  })}</ul>`;
}

export function registerPage(ctx: PageContext, v: RegisterView): string {
  const base = roundHref(v.roundId);
  const link = (params: { state?: string; sort?: string; dir?: string; page?: number; after?: string }) =>
    base +
    queryString({
      after: params.after,
      q: v.search,
      state: params.state ?? v.filter,
      sort: (params.sort ?? v.sort) === 'next' ? undefined : (params.sort ?? v.sort),
      dir: (params.dir ?? v.dir) === 'asc' ? undefined : (params.dir ?? v.dir),
      page: params.page && params.page > 1 ? params.page : undefined,
    });
  const sortHeader = (key: SortKey) => {
    const active = v.sort === key;
    const nextDir = active && v.dir === 'asc' ? 'desc' : 'asc';
    const ariaSort = active ? (v.dir === 'asc' ? 'ascending' : 'descending') : undefined;
    return html`<th scope="col"${ariaSort ? html` aria-sort="${ariaSort}"` : ''}><a href="${link({ sort: key, dir: nextDir, page: 1 })}">${SORT_LABELS[key]}${
      active ? html` <span aria-hidden="true">${v.dir === 'asc' ? '▲' : '▼'}</span>` : ''
    }<span class="visually-hidden">, sort ${nextDir === 'asc' ? 'ascending' : 'descending'}</span></a></th>`;
  };
  const done = (v.counts.complete ?? 0) + (v.counts.declined ?? 0);
  const first = v.matching === 0 ? 0 : (v.page - 1) * v.pageSize + 1;
  const last = Math.min(v.matching, v.page * v.pageSize);
  const filterOptions: { value: string; label: string; count: number }[] = [
    { value: '', label: 'All states', count: v.total },
    { value: 'overdue', label: 'Overdue', count: v.overdue },
    ...STATE_ORDER.filter((s) => (v.counts[s] ?? 0) > 0 || s === v.filter).map((s) => ({ value: s, label: stateLabel(s), count: v.counts[s] ?? 0 })),
    ...((v.counts.unknown ?? 0) > 0 ? [{ value: 'unknown', label: stateLabel('unknown'), count: v.counts.unknown ?? 0 }] : []),
  ];
  const pager = v.pages > 1
    ? html`<nav class="pager" aria-label="Pages of the register">
  ${v.page > 1 ? html`<a href="${link({ page: v.page - 1 })}" rel="prev">Previous page</a>` : html`<span class="muted">Previous page</span>`}
  <span>Page ${v.page} of ${v.pages}</span>
  ${
    v.paged
      ? v.paged.next && v.page < v.pages
        ? html`<a href="${link({ page: v.page + 1, after: v.paged.next })}" rel="next">Next page</a>`
        : html`<span class="muted">Next page</span>`
      : v.page < v.pages
        ? html`<a href="${link({ page: v.page + 1 })}" rel="next">Next page</a>`
        : html`<span class="muted">Next page</span>`
  }
  ${v.paged && v.page > 1 ? html`<a href="${link({ page: 1 })}" rel="first">First page</a>` : ''}
</nav>`
    : '';
  const body = html`
<section class="summary" aria-label="Round summary">
  <p><strong>${v.total}</strong> letters · <strong>${v.overdue}</strong> overdue · <a href="${base}/export.csv" download>Export the register as CSV</a>${ctx.session?.role === 'lead' ? html` · <a href="${base}/publish">Publish</a>` : ''}</p>
  <label for="round-progress">Progress</label>
  ${progress(done, v.total, 'round-progress')}
</section>
<form class="filter" method="get" action="${base}" role="search">
  <label for="register-search">Search</label>
  <input type="search" id="register-search" name="q" value="${v.search}" maxlength="200" aria-describedby="register-search-hint">
  <span class="hint" id="register-search-hint">Letter, recipient or organisation</span>
  <label for="state-filter">State</label>
  <select id="state-filter" name="state">
    ${filterOptions.map((o) => html`<option value="${o.value}"${o.value === v.filter ? html` selected` : ''}>${o.label} (${o.count})</option>`)}
  </select>
  <label for="sort-by">Sort by</label>
  <select id="sort-by" name="sort">
    ${SORT_KEYS.map((k) => html`<option value="${k}"${k === v.sort ? html` selected` : ''}>${k === 'next' ? 'Next action (overdue first)' : k === 'outstanding' ? 'Documents outstanding' : SORT_LABELS[k]}</option>`)}
  </select>
  <label for="sort-dir">Order</label>
  <select id="sort-dir" name="dir">
    <option value="asc"${v.dir === 'asc' ? html` selected` : ''}>Ascending</option>
    <option value="desc"${v.dir === 'desc' ? html` selected` : ''}>Descending</option>
  </select>
  <button type="submit">Show</button>
</form>
<p id="register-count">${v.matching === 0 ? 'No letters match.' : html`Letters ${first} to ${last} of ${v.matching}${v.filter ? html` (${filterOptions.find((o) => o.value === v.filter)?.label ?? v.filter})` : ''}.`}${
  v.search ? html` Searching for “${v.search}”: <a href="${base}${queryString({ state: v.filter, sort: v.sort === 'next' ? undefined : v.sort, dir: v.dir === 'asc' ? undefined : v.dir })}">show all letters</a>.` : ''
}</p>
${v.paged?.withinPage ? html`<p class="hint" id="register-sort-note">Sorted within this page only (pages follow the next action, overdue first); the CSV export has every letter.</p>` : ''}
${pager}
<div class="table-wrap" role="region" aria-labelledby="register-caption" tabindex="0">
<table class="register" id="register">
  <caption id="register-caption">Register of ${v.roundId}: ${v.sort === 'next' && v.dir === 'asc' ? 'overdue first' : html`sorted by ${SORT_LABELS[v.sort].toLowerCase()}, ${v.dir === 'asc' ? 'ascending' : 'descending'}`}</caption>
  <thead><tr>
    ${sortHeader('letter')}
    ${sortHeader('recipient')}
    ${sortHeader('organisation')}
    ${sortHeader('outstanding')}
    ${sortHeader('state')}
    ${sortHeader('next')}
  </tr></thead>
  <tbody>
  ${v.rows.map((r) => {
    const state = r.status?.state ?? r.row.state;
    const recipient = r.status?.recipient ?? r.row.recipient;
    return html`<tr data-letter="${r.row.letterId}">
    <th scope="row">${
      v.actions ? html`<input type="checkbox" name="ids" value="${r.row.letterId}" form="round-actions" id="select-${r.row.letterId}" aria-label="Select ${r.row.letterId}"> ` : ''
    }<a href="${letterHref(r.row.roundId, r.row.letterId)}">${r.row.letterId}</a></th>
    <td data-label="Recipient">${recipient ? html`${recipient.name}${recipient.role ? html`<br><span class="muted">${recipient.role}</span>` : ''}` : html`<span class="muted" title="${r.error ?? ''}">Not available</span>`}</td>
    <td data-label="Organisation">${recipient?.organisation ?? ''}</td>
    <td data-label="Documents">${documentsCell(r)}</td>
    <td data-label="State" class="state state-${state}">${stateLabel(state)}</td>
    <td data-label="Next action">${nextActionCell(r, v.now, v.tz)}</td>
  </tr>`;
  })}
  </tbody>
</table>
</div>
${pager}
${v.actions ?? ''}`;
  return page(ctx, { title: `Round ${v.roundId}`, crumbs: [{ href: '/', label: 'Rounds' }], body, wide: true });
}

// ---------------------------------------------------------------- sign-in, errors

export function loginPage(ctx: PageContext, opts: { next: string; name?: string; error?: string; notice?: string }): string {
  const body = html`
${opts.notice ? html`<p class="flash" role="status">${opts.notice}</p>` : ''}
<form class="login" method="post" action="/login"${opts.error ? html` aria-describedby="login-error"` : ''}>
  ${opts.error ? html`<p class="error" role="alert" id="login-error">${opts.error}</p>` : ''}
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${opts.next}">
  <div class="field">
    <label for="login-name">Name</label>
    <input id="login-name" name="name" autocomplete="username" required value="${opts.name ?? ''}" autocapitalize="none" spellcheck="false">
  </div>
  <div class="field">
    <label for="login-password">Password</label>
    <input id="login-password" name="password" type="password" autocomplete="current-password" required>
  </div>
  <button type="submit">Sign in</button>
</form>`;
  return page(ctx, { title: 'Sign in', body });
}

export function errorPage(ctx: PageContext, title: string, message: string, more?: SafeHtml): string {
  return page(ctx, { title, body: html`<p>${message}</p>${more ?? ''}<p><a href="/">Back to the rounds</a></p>` });
}
