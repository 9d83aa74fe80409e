// The dashboard's publication area (issue 14): the Publication section's forms on a letter's
// page (publication-view.ts). POST /letters/:roundId/:letterId/publication marks a document, a
// reply's attachment or a decline's reason publishable or not (setPublication); .../publication/close
// ends a finished letter's publication window (closeLetter). Uploads (uploads.ts): .../publication/attach
// adds a document received by post or by hand (stored, then attachDocument, as `rounds publication
// attach`); .../publication/redacted publishes a redacted copy of a document or a reply's
// attachment (stored, then setPublication with `redacted`). Staff and leads only; the letter
// changes only through the workflow's update, and its answer (done, or the workflow's own
// message why not) is shown on the letter's page.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isDocumentKey, type DocumentKey } from '../../domain/documents';
import { workflowIdFor } from '../../workflows/letter-api';
import { UserError } from '../errors';
import { updateLetter } from '../letters';
import { CAN_RECORD } from '../users';
import { sendError, str, type AreaOptions, type Body, type Web } from './context';
import { readUpload, sendTooLarge, storeUpload, uploadRoutes, UploadTooLarge } from './uploads';
import { letterHref } from './views';

const opt = (v: unknown) => (str(v).trim() === '' ? undefined : str(v).trim());

export const publicationRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  await uploadRoutes(app, (up) => {
    for (const upload of ['attach', 'redacted'] as const) up.post(`/letters/:roundId/:letterId/publication/${upload}`, async (req, reply) => {
      const { roundId, letterId } = req.params as { roundId: string; letterId: string };
      const user = req.signedIn!;
      if (!CAN_RECORD.includes(user.role)) {
        return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read letters but not add documents or mark what may be published. Ask a lead for the staff role.`);
      }
      const workflowId = workflowIdFor(roundId, letterId);
      try {
        const { fields: b, file } = await readUpload(req);
        if (upload === 'attach') {
          const doc = opt(b.document);
          if (doc !== undefined && !isDocumentKey(doc)) throw new UserError(`document: '${doc}' is not a requested document`);
          const stored = await storeUpload(web.documents, file, 'file');
          const s = await updateLetter(web.client, workflowId, 'attachDocument', {
            ...(doc !== undefined ? { document: doc } : {}),
            ...(opt(b.title) !== undefined ? { title: opt(b.title) } : {}),
            ...(opt(b.receivedOn) !== undefined ? { receivedOn: opt(b.receivedOn) } : {}),
            file: stored,
            by: user.user,
          });
          const a = s.attachments!.at(-1)!;
          user.flash = `Added ${a.id}: ${a.title} (${a.file.name}); not published until marked.`;
        } else {
          const n = opt(b.replyAttachment);
          const redacted = await storeUpload(web.documents, file, 'redacted copy');
          const s = await updateLetter(web.client, workflowId, 'setPublication', {
            ...(opt(b.attachment) !== undefined ? { attachment: opt(b.attachment) } : {}),
            ...(opt(b.reply) !== undefined ? { reply: opt(b.reply) } : {}),
            ...(n !== undefined ? { replyAttachment: /^\d+$/.test(n) ? Number(n) : (n as unknown as number) } : {}),
            publish: true,
            redacted,
            by: user.user,
          });
          user.flash = `Publication: ${s.timeline.at(-1)?.message ?? 'recorded'}.`;
        }
      } catch (err) {
        if (err instanceof UploadTooLarge) return sendTooLarge(web, req, reply);
        return notRecorded(web, req, reply, err, workflowId, roundId, letterId);
      }
      await web.sessions.save(user);
      return reply.redirect(`${letterHref(roundId, letterId)}#publication-title`, 303);
    });
  });

  app.post('/letters/:roundId/:letterId/publication/:what?', async (req, reply) => {
    const { roundId, letterId, what } = req.params as { roundId: string; letterId: string; what?: string };
    if (what !== undefined && what !== 'close') return sendError(web, req, reply, 404, 'Page not found', 'There is no such form.');
    const user = req.signedIn!;
    if (!CAN_RECORD.includes(user.role)) {
      return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read letters but not mark what may be published. Ask a lead for the staff role.`);
    }
    const b = (req.body ?? {}) as Body;
    const workflowId = workflowIdFor(roundId, letterId);
    try {
      if (what === 'close') {
        await updateLetter(web.client, workflowId, 'closeLetter', { by: user.user });
        user.flash = 'Closed for publication: no more publication changes to this letter.';
      } else {
        const publish = str(b.publish);
        if (publish !== 'yes' && publish !== 'no') throw new UserError('say whether it may be published');
        const n = opt(b.replyAttachment);
        const s = await updateLetter(web.client, workflowId, 'setPublication', {
          ...(opt(b.attachment) !== undefined ? { attachment: opt(b.attachment) } : {}),
          ...(opt(b.declineReasonOf) !== undefined ? { declineReasonOf: opt(b.declineReasonOf) as DocumentKey } : {}),
          ...(opt(b.reply) !== undefined ? { reply: opt(b.reply) } : {}),
          ...(n !== undefined ? { replyAttachment: /^\d+$/.test(n) ? Number(n) : (n as unknown as number) } : {}),
          publish: publish === 'yes',
          by: user.user,
        });
        user.flash = `Publication: ${s.timeline.at(-1)?.message ?? 'recorded'}.`;
      }
    } catch (err) {
      return notRecorded(web, req, reply, err, workflowId, roundId, letterId);
    }
    await web.sessions.save(user);
    return reply.redirect(`${letterHref(roundId, letterId)}#publication-title`, 303);
  });
};

/** A refusal (the workflow's own words) shown on the letter's page; anything else is thrown on. */
async function notRecorded(web: Web, req: FastifyRequest, reply: FastifyReply, err: unknown, workflowId: string, roundId: string, letterId: string) {
  if (!(err instanceof UserError)) throw err;
  const user = req.signedIn!;
  const prefix = `${workflowId}: `;
  user.flash = `Not recorded: ${err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message}`;
  await web.sessions.save(user);
  return reply.redirect(`${letterHref(roundId, letterId)}#publication-title`, 303);
}
