// The dashboard's Publish area (issue 14, leads only): GET /rounds/:roundId/publish shows the
// round's public site as it would be written now, in a sandboxed frame served from the plan in
// memory (GET /rounds/:roundId/publish/preview/<path>: its pages, stylesheet, data files and
// published documents, under a CSP that allows no scripts, forms or plugins); POST writes it to
// the configured folder (publishDir, ROUNDS_PUBLISH_DIR) the way `rounds publish` does (whole,
// or not at all). The site comes from domain/publication (its allow-list), never from this page.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { localDateOf } from '../../domain/calendar';
import { planSite, type SiteFile } from '../../domain/publication/site';
import { NotFoundError, UserError } from '../errors';
import { publishSite, readRounds, type RoundData } from '../publish';
import { pageContext, send, sendError, takeFlash, type AreaOptions, type Web } from './context';
import { html } from './html';
import { csrfField, page } from './layout';
import { roundHref } from './views';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/atom+xml; charset=utf-8',
};
/** The preview may show pages and their stylesheet and nothing else: no scripts, forms, plugins or navigation out of the frame. */
const PREVIEW_CSP = "sandbox allow-same-origin; default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'self'";

export const publishHref = (roundId: string) => `${roundHref(roundId)}/publish`;

export const publishRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  app.addHook('preHandler', async (req, reply) => {
    const role = req.signedIn?.role;
    if (role !== 'lead') return sendError(web, req, reply, 403, 'Not allowed', `Publishing a round needs the lead role; yours is ${role}.`);
  });

  app.get('/rounds/:roundId/publish', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const plan = await planned(web, req, reply, roundId);
    if (!plan) return reply;
    const flash = await takeFlash(web, req);
    const slug = plan.files.find((f) => f.path.endsWith('/index.html') && f.path.startsWith('rounds/'))!.path;
    const body = html`
<p>The round's public site as <code>rounds publish</code> would write it now: ${plan.files.length} files (${plan.files.filter((f) => 'document' in f).length} published documents). Only what is marked publishable on each letter's page appears.</p>
${
  web.publishDir
    ? html`<form method="post" action="${publishHref(roundId)}" id="publish-form">${csrfField(pageContext(web, req, reply))}<p>Writes the site to <code>${web.publishDir}</code>, replacing what is there once the new site is complete.</p><button type="submit">Publish to the output folder</button></form>`
    : html`<p class="notice">No output folder is configured (set <code>ROUNDS_PUBLISH_DIR</code>), so this page only previews; <code>rounds publish ${roundId} --out &lt;dir&gt;</code> writes it.</p>`
}
<h2>Preview</h2>
<iframe class="site-preview" id="site-preview" title="Preview of the published site" sandbox="" src="${publishHref(roundId)}/preview/${slug}" width="100%" height="700"></iframe>`;
    return send(reply, 200, page(pageContext(web, req, reply, flash), { title: `Publish round ${roundId}`, crumbs: [{ href: '/', label: 'Rounds' }, { href: roundHref(roundId), label: `Round ${roundId}` }], body }));
  });

  app.get('/rounds/:roundId/publish/preview/*', async (req, reply) => {
    const { roundId, '*': rest } = req.params as { roundId: string; '*': string };
    const plan = await planned(web, req, reply, roundId);
    if (!plan) return reply;
    const file = plan.files.find((f) => f.path === rest);
    if (!file) return sendError(web, req, reply, 404, 'Page not found', 'The published site has no such file.');
    reply.header('content-security-policy', PREVIEW_CSP).header('x-frame-options', 'SAMEORIGIN');
    if ('text' in file) return reply.code(200).type(TYPES[rest.split('.').pop() ?? ''] ?? 'text/plain; charset=utf-8').send(file.text);
    if (!(await web.documents.has(file.document.sha256))) return sendError(web, req, reply, 404, 'Not in the document store', `${file.path} is not in the document store.`);
    return reply.code(200).type(file.document.mediaType).header('content-disposition', 'inline').send(await web.documents.read(file.document.sha256));
  });

  app.post('/rounds/:roundId/publish', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const user = req.signedIn!;
    if (!web.publishDir) return sendError(web, req, reply, 409, 'No output folder', 'No output folder is configured (ROUNDS_PUBLISH_DIR); nothing was written.');
    const rounds = await read(web, req, reply, roundId);
    if (!rounds) return reply;
    try {
      const written = await publishSite(rounds, { out: web.publishDir, store: web.documents, asOf: localDateOf(Date.now(), web.tz) });
      user.flash = `Published: ${written.length} files written to ${web.publishDir}.`;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      user.flash = `Not published: ${err.message}`;
    }
    await web.sessions.save(user);
    return reply.redirect(publishHref(roundId), 303);
  });
};

async function read(web: Web, req: FastifyRequest, reply: FastifyReply, roundId: string): Promise<RoundData[] | undefined> {
  try {
    return await readRounds(web.client, [roundId]);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    await sendError(web, req, reply, 404, 'No such round', err.message);
    return undefined;
  }
}

async function planned(web: Web, req: FastifyRequest, reply: FastifyReply, roundId: string): Promise<{ files: SiteFile[] } | undefined> {
  const rounds = await read(web, req, reply, roundId);
  return rounds && { files: planSite({ rounds, asOf: localDateOf(Date.now(), web.tz) }) };
}
