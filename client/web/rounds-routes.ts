// The dashboard's rounds area: every round with its counts (GET /), one round's register
// (GET /rounds/:roundId, filtered, sorted and paged by client/register.ts) and the register as
// CSV (GET /rounds/:roundId/export.csv, client/export.ts). Rows come from the named
// visibility queries (client/queries.ts); only letters started without a memo are asked for
// their status.
import type { FastifyPluginAsync } from 'fastify';
import { exportRoundCsv, letterStatuses } from '../export';
import { listLetters, queries, summarise } from '../queries';
import { readRegisterQuery, selectRegister } from '../register';
import { pageContext, send, sendError, takeFlash, type AreaOptions, type Body } from './context';
import { justStartedPage } from './start-view';
import { registerPage, roundsPage, type RegisterRow } from './views';

export const roundsRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  const { client, pageSize, tz } = web;

  app.get('/', async (req, reply) => {
    const rows = await listLetters(client, queries.allLetters());
    return send(reply, 200, roundsPage(pageContext(web, req, reply, await takeFlash(web, req)), summarise(rows)));
  });

  app.get('/rounds/:roundId', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const query = readRegisterQuery(req.query as Body);
    const now = new Date();
    const rows = await listLetters(client, queries.roundLetters(roundId));
    const flash = await takeFlash(web, req);
    if (rows.length === 0) {
      // Just started: Temporal's visibility lists new workflows a moment after they start.
      if (flash) return send(reply, 200, justStartedPage(pageContext(web, req, reply, flash), roundId));
      return sendError(web, req, reply, 404, 'No such round', `There are no letters in round '${roundId}'.`);
    }
    const selection = selectRegister(rows, query, pageSize, now);
    // A row's recipient and requested documents come from its memo, in the listing. Only the
    // letters on this page started without one (before the memo existed) are asked for their status.
    const statuses = await letterStatuses(client, selection.rows.filter((row) => !row.recipient));
    const registerRows: RegisterRow[] = selection.rows.map((row) => {
      if (row.recipient) return { row };
      const s = statuses.get(row.workflowId);
      return s instanceof Error || !s ? { row, error: s?.message ?? 'no status' } : { row, status: s };
    });
    return send(
      reply,
      200,
      registerPage(pageContext(web, req, reply, flash), {
        roundId,
        total: rows.length,
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
        now,
        tz,
      }),
    );
  });

  app.get('/rounds/:roundId/export.csv', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const csv = await exportRoundCsv(client, roundId);
    const fileName = `${roundId.replace(/[^A-Za-z0-9._-]/g, '_')}-register.csv`;
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${fileName}"`).send(csv);
  });
};
