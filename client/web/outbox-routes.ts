// The dashboard's outbox area (development): the local mail sink's messages, newest first, a
// page at a time (GET /outbox), one message (GET /outbox/:file) and its raw text
// (GET /outbox/:file/raw, sandboxed). Registered only when the dashboard has an outbox folder.
import type { FastifyPluginAsync } from 'fastify';
import { pageContext, send, sendError, str, type AreaOptions, type Body } from './context';
import { outboxMessagePage, outboxPage } from './outbox-view';

const OUTBOX_PAGE_SIZE = 50;

export const outboxRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  const { outbox, tz } = web;
  if (!outbox) return;

  app.get('/outbox', async (req, reply) => {
    const entries = outbox.list();
    const pages = Math.max(1, Math.ceil(entries.length / OUTBOX_PAGE_SIZE));
    const pageNo = Math.min(pages, Math.max(1, Number.parseInt(str((req.query as Body).page), 10) || 1));
    const slice = entries.slice((pageNo - 1) * OUTBOX_PAGE_SIZE, pageNo * OUTBOX_PAGE_SIZE);
    const messages = await Promise.all(
      slice.map(async (e) => {
        try {
          return (await outbox.read(e.file)) ?? { file: e.file, error: 'gone' };
        } catch (err) {
          return { file: e.file, error: (err as Error).message };
        }
      }),
    );
    return send(reply, 200, outboxPage(pageContext(web, req, reply), { messages, page: pageNo, pages, total: entries.length, tz }));
  });

  app.get('/outbox/:file', async (req, reply) => {
    const { file } = req.params as { file: string };
    const m = await outbox.read(file);
    if (!m) return sendError(web, req, reply, 404, 'No such message', 'There is no such message in the outbox.');
    return send(reply, 200, outboxMessagePage(pageContext(web, req, reply), m, tz));
  });

  app.get('/outbox/:file/raw', (req, reply) => {
    const { file } = req.params as { file: string };
    const raw = outbox.raw(file);
    if (!raw) return sendError(web, req, reply, 404, 'No such message', 'There is no such message in the outbox.');
    return reply
      .type('text/plain; charset=utf-8')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .header('Content-Disposition', 'inline')
      .send(raw);
  });
};
