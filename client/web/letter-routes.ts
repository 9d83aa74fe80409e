// The dashboard's letter area: one letter's page (GET /letters/:roundId/:letterId: its
// documents, timeline, emails and the staff forms) and the forms themselves
// (POST /letters/:roundId/:letterId/:form, one of LETTER_FORMS, staff and leads only). A form
// changes the letter only through the workflow's update (updateLetter), so a rejected one
// changes nothing and the page shows the workflow's own message beside the form.
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { STAFF_ACTIONS } from '../../domain/staff-actions';
import type { DeclinePayload, ExtendPayload, NotePayload, PausePayload, ReceiptPayload, ResumePayload, WithdrawPayload } from '../../domain/types';
import { workflowIdFor } from '../../workflows/letter-api';
import { NotFoundError, UserError } from '../errors';
import { statusOf } from '../export';
import { updateLetter } from '../letters';
import { CAN_RECORD } from '../users';
import { list, pageContext, send, sendError, str, takeFlash, type AreaOptions, type Body, type Web } from './context';
import { todayIn } from './format';
import { formMessage } from './form-words';
import { LETTER_FORMS, letterPage, type FormValues, type LetterForm } from './letter-view';
import { letterHref } from './views';

const isLetterForm = (s: string): s is LetterForm => (LETTER_FORMS as readonly string[]).includes(s);

export const letterRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  app.get('/letters/:roundId/:letterId', async (req, reply) => {
    const { roundId, letterId } = req.params as { roundId: string; letterId: string };
    const done = str((req.query as Body).done);
    return renderLetter(web, req, reply, roundId, letterId, 200, { done: isLetterForm(done) ? done : undefined }, await takeFlash(web, req));
  });

  app.post('/letters/:roundId/:letterId/:form', async (req, reply) => {
    const { roundId, letterId, form } = req.params as { roundId: string; letterId: string; form: string };
    if (!isLetterForm(form)) return sendError(web, req, reply, 404, 'Page not found', 'There is no such form.');
    const user = req.signedIn!;
    if (!CAN_RECORD.includes(user.role)) {
      return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read letters but not record anything on them. Ask a lead for the staff role.`);
    }
    const b = { ...((req.body ?? {}) as Body) };
    delete b._csrf;
    const workflowId = workflowIdFor(roundId, letterId);
    try {
      await sendForm(web.client, workflowId, form, b, user.user);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const prefix = `${workflowId}: `;
      const message = formMessage(form, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message, web.tz);
      return renderLetter(web, req, reply, roundId, letterId, 422, { error: { form, message, values: b } });
    }
    return reply.redirect(`${letterHref(roundId, letterId)}?done=${form}`, 303);
  });
};

async function renderLetter(
  web: Web,
  req: FastifyRequest,
  reply: FastifyReply,
  roundId: string,
  letterId: string,
  code: number,
  extra: { error?: { form: LetterForm; message: string; values: FormValues }; done?: LetterForm } = {},
  flash?: string,
) {
  const { client, outbox, tz } = web;
  const workflowId = workflowIdFor(roundId, letterId);
  let status;
  try {
    status = await client.withDeadline(Date.now() + 15_000, () => statusOf(client, workflowId));
  } catch (err) {
    if (err instanceof NotFoundError) return sendError(web, req, reply, 404, 'No such letter', err.message);
    throw err;
  }
  const outboxFiles = outbox ? outbox.findByMessageIds(status.emails.map((e) => e.messageId)) : undefined;
  return send(
    reply,
    code,
    letterPage(pageContext(web, req, reply, flash), {
      status,
      workflowId,
      canRecord: !!req.signedIn && CAN_RECORD.includes(req.signedIn.role),
      outboxFiles,
      today: todayIn(tz),
      now: new Date(),
      tz,
      ...extra,
    }),
  );
}

/** Turns one submitted form into the workflow's update; a rejection is a UserError with the workflow's message. */
async function sendForm(client: Client, workflowId: string, form: LetterForm, b: Body, user: string): Promise<void> {
  const typed = str(b.by).trim();
  const by = !typed || typed === user ? user : `${typed} (entered by ${user})`;
  const opt = (v: unknown) => {
    const s = str(v).trim();
    return s === '' ? undefined : s;
  };
  const clean = <T extends object>(p: T): T => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as T;
  switch (form) {
    case 'receipt':
      await updateLetter(client, workflowId, STAFF_ACTIONS.receipt.update, clean<ReceiptPayload>({ documents: list(b.documents) as ReceiptPayload['documents'], receivedOn: opt(b.receivedOn), by, note: opt(b.note) }));
      return;
    case 'decline': {
      const docs = list(b.documents) as ReceiptPayload['documents'];
      await updateLetter(client, workflowId, STAFF_ACTIONS.decline.update, clean<DeclinePayload>({ documents: docs.length > 0 ? docs : undefined, reason: str(b.reason).trim(), on: opt(b.on), by }));
      return;
    }
    case 'extend': {
      const days = opt(b.workingDays);
      const workingDays = days === undefined ? undefined : /^\d+$/.test(days) ? Number(days) : (days as unknown as number);
      await updateLetter(client, workflowId, STAFF_ACTIONS.extend.update, clean<ExtendPayload>({ until: opt(b.until), workingDays, reason: opt(b.reason), by }));
      return;
    }
    case 'pause':
      await updateLetter(client, workflowId, STAFF_ACTIONS.pause.update, clean<PausePayload>({ reason: opt(b.reason), by }));
      return;
    case 'resume':
      await updateLetter(client, workflowId, STAFF_ACTIONS.resume.update, clean<ResumePayload>({ by }));
      return;
    case 'withdraw':
      if (str(b.confirm) !== 'yes') throw new UserError('tick “Yes, withdraw this letter” to confirm');
      await updateLetter(client, workflowId, STAFF_ACTIONS.withdraw.update, clean<WithdrawPayload>({ reason: opt(b.reason), by }));
      return;
    case 'note':
      await updateLetter(client, workflowId, STAFF_ACTIONS.note.update, clean<NotePayload>({ text: str(b.text), by }));
      return;
  }
}
