// The dashboard's publication area (issue 14): the Publication section's forms on a letter's
// page (publication-view.ts). POST /letters/:roundId/:letterId/publication marks a document, a
// reply's attachment or a decline's reason publishable or not (setPublication); .../publication/close
// ends a finished letter's publication window (closeLetter). Staff and leads only; the letter
// changes only through the workflow's update, and its answer (done, or the workflow's own
// message why not) is shown on the letter's page.
import type { FastifyPluginAsync } from 'fastify';
import type { DocumentKey } from '../../domain/documents';
import { workflowIdFor } from '../../workflows/letter-api';
import { UserError } from '../errors';
import { updateLetter } from '../letters';
import { CAN_RECORD } from '../users';
import { sendError, str, type AreaOptions, type Body } from './context';
import { letterHref } from './views';

export const publicationRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  app.post('/letters/:roundId/:letterId/publication/:what?', async (req, reply) => {
    const { roundId, letterId, what } = req.params as { roundId: string; letterId: string; what?: string };
    if (what !== undefined && what !== 'close') return sendError(web, req, reply, 404, 'Page not found', 'There is no such form.');
    const user = req.signedIn!;
    if (!CAN_RECORD.includes(user.role)) {
      return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read letters but not mark what may be published. Ask a lead for the staff role.`);
    }
    const b = (req.body ?? {}) as Body;
    const workflowId = workflowIdFor(roundId, letterId);
    const opt = (v: unknown) => (str(v).trim() === '' ? undefined : str(v).trim());
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
      if (!(err instanceof UserError)) throw err;
      const prefix = `${workflowId}: `;
      user.flash = `Not recorded: ${err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message}`;
    }
    await web.sessions.save(user);
    return reply.redirect(`${letterHref(roundId, letterId)}#publication-title`, 303);
  });
};
