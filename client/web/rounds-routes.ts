// The dashboard's rounds area: every round with its counts (GET /), one round's register
// (GET /rounds/:roundId) and the register as CSV (GET /rounds/:roundId/export.csv,
// client/export.ts). The register's usual views (overdue first or by recipient/organisation,
// every letter, one state or overdue, no search) ask visibility only for the page shown and the
// counts (client/register-query.ts): the next-page link carries the page token (?after=); a sort
// by recipient or organisation orders that page only. A search, the 'unknown' filter and the
// other sorts still list the whole round and filter, sort and page it (client/register.ts).
// Only letters started without a memo are asked for their status.
import type { FastifyPluginAsync } from 'fastify';
import { exportRoundCsv, letterStatuses } from '../export';
import { listLetters, queries, summarise } from '../queries';
import { comparator, readRegisterQuery, selectRegister, type RegisterQuery, type RegisterSelection } from '../register';
import { phaseQuery, registerCounts, registerPage as registerQueryPage, registerPageNumber, type RegisterPage } from '../register-query';
import { pageContext, send, sendError, takeFlash, type AreaOptions, type Body } from './context';
import { justStartedPage } from './start-view';
import { responseStats } from '../../domain/stats';
import { statsLetters } from '../round-actions';
import { CAN_RECORD } from '../users';
import { roundActionsForm, statsTable } from './deadlines-view';
import { todayIn } from './format';
import { html } from './html';
import { registerPage, roundsPage, type RegisterRow } from './views';

export const roundsRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  const { client, pageSize, tz } = web;

  app.get('/', async (req, reply) => {
    const rows = await listLetters(client, queries.allLetters());
    // Response statistics (issue 16) from the same listing: per round and per organisation.
    const letters = statsLetters(rows);
    const today = todayIn(tz);
    const stats = rows.length ? html`<h2>Response statistics</h2>${statsTable(responseStats(letters, (l) => l.roundId, today), 'round', 'round-stats')}${statsTable(responseStats(letters, (l) => l.organisation, today), 'organisation', 'organisation-stats')}` : undefined;
    return send(reply, 200, roundsPage(pageContext(web, req, reply, await takeFlash(web, req)), summarise(rows), stats));
  });

  app.get('/rounds/:roundId', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const query = readRegisterQuery(req.query as Body);
    const after = typeof (req.query as Body).after === 'string' ? ((req.query as Body).after as string) : undefined;
    const now = new Date();
    const selected = await (pagedView(query) ? pagedSelection(roundId, query, after, now) : listedSelection(roundId, query, now));
    const flash = await takeFlash(web, req);
    if (!selected) {
      // Just started: Temporal's visibility lists new workflows a moment after they start.
      if (flash) return send(reply, 200, justStartedPage(pageContext(web, req, reply, flash), roundId));
      return sendError(web, req, reply, 404, 'No such round', `There are no letters in round '${roundId}'.`);
    }
    const { selection, total, paged } = selected;
    // A row's recipient and requested documents come from its memo, in the listing. Only the
    // letters on this page started without one (before the memo existed) are asked for their status.
    const statuses = await letterStatuses(client, selection.rows.filter((row) => !row.recipient));
    const registerRows: RegisterRow[] = selection.rows.map((row) => {
      if (row.recipient) return { row };
      const s = statuses.get(row.workflowId);
      return s instanceof Error || !s ? { row, error: s?.message ?? 'no status' } : { row, status: s };
    });
    const ctx = pageContext(web, req, reply, flash);
    return send(
      reply,
      200,
      registerPage(ctx, {
        roundId,
        total,
        counts: selection.counts,
        overdue: selection.overdue,
        filter: query.filter,
        search: query.search,
        sort: query.sort,
        dir: query.dir,
        page: selection.page,
        pages: selection.pages,
        matching: selection.matching,
        pageSize,
        rows: registerRows,
        ...(paged ? { paged } : {}),
        now,
        tz,
        ...(req.signedIn && CAN_RECORD.includes(req.signedIn.role) ? { actions: roundActionsForm(ctx, roundId) } : {}),
      }),
    );
  });

  type Selected = { total: number; selection: RegisterSelection; paged?: { next?: string; withinPage: boolean } };

  /** The whole round listed, then filtered, sorted and cut (client/register.ts); undefined when it has no letters. */
  async function listedSelection(roundId: string, query: RegisterQuery, now: Date): Promise<Selected | undefined> {
    const rows = await listLetters(client, queries.roundLetters(roundId));
    return rows.length === 0 ? undefined : { total: rows.length, selection: selectRegister(rows, query, pageSize, now) };
  }

  /**
   * Only the page shown and the counts, from visibility; undefined when the round has no letters.
   * `after` is the token of the page asked for (the previous page's next-page link); without it,
   * the pages before query.page are walked (each token asked in turn).
   */
  async function pagedSelection(roundId: string, query: RegisterQuery, after: string | undefined, now: Date): Promise<Selected | undefined> {
    const round = queries.roundLetters(roundId);
    const c = await registerCounts(client, round, now);
    if (c.letters === 0) return undefined;
    const { filter } = query;
    const matching = filter === '' ? c.letters : filter === 'overdue' ? c.overdue : (c.byState[filter as keyof typeof c.byState] ?? 0);
    const base = filter === '' ? round : filter === 'overdue' ? phaseQuery(round, 'overdue', now) : `${round} AND LetterState = ${JSON.stringify(filter)}`;
    const pages = Math.max(1, Math.ceil(matching / pageSize));
    const page = Math.min(pages, query.page);
    const got: RegisterPage = after ? await registerQueryPage(client, base, { token: after, pageSize }) : await pageNumber(base, page, now);
    const withinPage = query.sort !== 'next';
    const rows = withinPage ? [...got.rows].sort(comparator(query.sort, query.dir)) : got.rows;
    return {
      total: c.letters,
      selection: { counts: c.byState, overdue: c.overdue, matching, page, pages, rows },
      paged: { ...(got.next ? { next: got.next } : {}), withinPage },
    };
  }

  /**
   * Page `n` without a token (a ?page= link, a bookmark): the rows before it are skipped in
   * requests of up to 1,000 (page 200 of 50 is about 10 requests, not 200), then the page itself.
   */
  async function pageNumber(base: string, n: number, at: Date): Promise<RegisterPage> {
    let skip = (n - 1) * pageSize;
    let token: string | undefined;
    while (skip > 0) {
      const step = await registerQueryPage(client, base, { token, at, pageSize: Math.min(1000, skip) });
      skip -= step.rows.length;
      token = step.next;
      if (!token) return registerPageNumber(client, base, n, { pageSize, at }); // fewer rows than counted: walk page by page
    }
    return registerQueryPage(client, base, { token, at, pageSize });
  }

  app.get('/rounds/:roundId/export.csv', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const csv = await exportRoundCsv(client, roundId);
    const fileName = `${roundId.replace(/[^A-Za-z0-9._-]/g, '_')}-register.csv`;
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${fileName}"`).send(csv);
  });
};

/** Views visibility can page by itself: no search; every letter, one known state or overdue; overdue first, or by recipient or organisation within the page. */
function pagedView(q: RegisterQuery): boolean {
  const order = (q.sort === 'next' && q.dir === 'asc') || q.sort === 'recipient' || q.sort === 'organisation';
  return order && q.search === '' && q.filter !== 'unknown';
}
