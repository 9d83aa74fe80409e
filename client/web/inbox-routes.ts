// The dashboard's Inbox area (issue 13): GET /inbox (replies waiting for triage, the holding
// pen, bounces to fix), GET /inbox/reply/:roundId/:letterId?m=<Message-ID> (one reply: text, HTML
// sanitised in a sandboxed iframe, attachments), GET /inbox/document/:sha256 (an attachment,
// staff and leads only, always as a download), and the forms POST /inbox/triage | file | dismiss
// | correct-address (staff and leads), and the upload POST /inbox/import (an .eml filed as
// `rounds inbox import` files it: importEmlBytes). Everything changes through the workflows' updates.
//
// Replies waiting for triage come from the mailbox's latest filed messages (at most 200): one
// status query per letter among them, never one per letter of a round. Bounces to fix are one
// visibility query (LetterState = undeliverable).
import type { FastifyPluginAsync } from 'fastify';
import { simpleParser } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { DocumentStore, isSha256 } from '../../activities/document-store';
import type { DocumentKey } from '../../domain/documents';
import type { LetterStatus } from '../../domain/types';
import * as api from '../../workflows/letter-api';
import { NotFoundError, UserError } from '../errors';
import { statusOf } from '../export';
import { dismissFromPen, fileFromPen, formatOutcome, importEmlBytes, inboxState } from '../inbox';
import { updateLetter } from '../letters';
import { listLetters, queries } from '../queries';
import { CAN_RECORD } from '../users';
import { list, pageContext, send, sendError, str, takeFlash, type AreaOptions, type Body, type Web } from './context';
import { inboxPage, replyPage, type Bounced, type WaitingReply } from './inbox-view';
import { readUpload, sendTooLarge, uploadRoutes, UploadTooLarge } from './uploads';

/** What of a reply's HTML is shown: text formatting, lists, tables and links; no images, styles, forms or scripts. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'div', 'span', 'strong', 'b', 'em', 'i', 'u', 'a', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'hr', 'pre', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

export const inboxRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  const canRecord = (role: string | undefined) => !!role && (CAN_RECORD as readonly string[]).includes(role);

  app.get('/inbox', async (req, reply) => {
    const flash = await takeFlash(web, req);
    return send(reply, 200, await renderInbox(web, req.signedIn?.role, pageContext(web, req, reply), flash));
  });

  await uploadRoutes(app, (up) => {
    up.post('/inbox/import', async (req, reply) => {
      const user = req.signedIn!;
      if (!canRecord(user.role)) return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read the inbox but not file mail.`);
      try {
        const { file } = await readUpload(req);
        if (!file) throw new UserError('choose an email file (.eml) to file');
        user.flash = formatOutcome(await importEmlBytes(web.client, file.bytes, file.name, user.user, web.documents));
      } catch (err) {
        if (err instanceof UploadTooLarge) return sendTooLarge(web, req, reply);
        if (!(err instanceof UserError)) throw err;
        return send(reply.code(422), 422, await renderInbox(web, user.role, pageContext(web, req, reply), err.message));
      }
      await web.sessions.save(user);
      return reply.redirect('/inbox', 303);
    });
  });

  app.get('/inbox/reply/:roundId/:letterId', async (req, reply) => {
    const { roundId, letterId } = req.params as { roundId: string; letterId: string };
    const messageId = str((req.query as Body).m);
    let status: LetterStatus;
    try {
      status = await statusOf(web.client, api.workflowIdFor(roundId, letterId));
    } catch (err) {
      if (err instanceof NotFoundError) return sendError(web, req, reply, 404, 'No such letter', err.message);
      throw err;
    }
    const r = status.replies?.find((x) => x.messageId === messageId);
    if (!r) return sendError(web, req, reply, 404, 'No such reply', 'This letter has no reply with that Message-ID.');
    let text: string | undefined;
    let htmlPart: string | undefined;
    if (web.documentsDir) {
      try {
        const parsed = await simpleParser(await new DocumentStore(web.documentsDir).read(r.raw.sha256), { skipImageLinks: true });
        text = parsed.text?.slice(0, 200_000);
        if (typeof parsed.html === 'string') htmlPart = sanitizeHtml(parsed.html.slice(0, 2_000_000), SANITIZE);
      } catch (err) {
        text = `(the stored message could not be read: ${(err as Error).message})`;
      }
    }
    text ??= r.excerpt;
    return send(reply, 200, replyPage(pageContext(web, req, reply), { roundId, letterId, reply: r, text, html: htmlPart, canDownload: canRecord(req.signedIn?.role), tz: web.tz }));
  });

  app.get('/inbox/document/:sha256', async (req, reply) => {
    const { sha256 } = req.params as { sha256: string };
    if (!canRecord(req.signedIn?.role)) return sendError(web, req, reply, 403, 'Not allowed', 'Attachments are for staff and leads only.');
    if (!web.documentsDir || !isSha256(sha256)) return sendError(web, req, reply, 404, 'No such document', 'There is no such document.');
    let bytes: Buffer;
    try {
      bytes = await new DocumentStore(web.documentsDir).read(sha256);
    } catch {
      return sendError(web, req, reply, 404, 'No such document', 'There is no such document in the store.');
    }
    const name = str((req.query as Body).name).replace(/[^\w .,()-]/g, '_').slice(0, 150) || `${sha256.slice(0, 12)}.bin`;
    return reply
      .type('application/octet-stream')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .send(bytes);
  });

  app.post('/inbox/:form', async (req, reply) => {
    const { form } = req.params as { form: string };
    if (!['triage', 'file', 'dismiss', 'correct-address'].includes(form)) return sendError(web, req, reply, 404, 'Page not found', 'There is no such form.');
    const user = req.signedIn!;
    if (!canRecord(user.role)) return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read the inbox but not file or triage mail.`);
    const b = (req.body ?? {}) as Body;
    try {
      if (form === 'triage') {
        const documents = str(b.action) === 'receipt' ? (list(b.documents) as DocumentKey[]) : [];
        await updateLetter(web.client, api.workflowIdFor(str(b.roundId), str(b.letterId)), 'triageReply', { messageId: str(b.messageId), documents, by: user.user });
      } else if (form === 'file') {
        await fileFromPen(web.client, str(b.messageId), str(b.letter).trim(), user.user);
      } else if (form === 'dismiss') {
        await dismissFromPen(web.client, str(b.messageId), str(b.reason).trim(), user.user);
      } else {
        await updateLetter(web.client, api.workflowIdFor(str(b.roundId), str(b.letterId)), 'correctAddress', { email: str(b.email).trim(), by: user.user });
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return send(reply.code(422), 422, await renderInbox(web, user.role, pageContext(web, req, reply), err.message));
    }
    return reply.redirect('/inbox', 303);
  });
};

async function renderInbox(web: Web, role: string | undefined, ctx: ReturnType<typeof pageContext>, error?: string): Promise<string> {
  let state;
  let unavailable: string | undefined;
  try {
    state = await inboxState(web.client);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    unavailable = err.message;
  }
  // Letters with a reply filed lately: their untriaged replies.
  const letters = [...new Set((state?.recent ?? []).filter((e) => e.kind === 'reply' && e.roundId && e.letterId).map((e) => api.workflowIdFor(e.roundId!, e.letterId!)))];
  const waiting: WaitingReply[] = [];
  for (let i = 0; i < letters.length; i += 16) {
    await Promise.all(
      letters.slice(i, i + 16).map(async (id) => {
        try {
          const s = await statusOf(web.client, id);
          for (const r of s.replies ?? []) if (!r.triaged) waiting.push({ roundId: s.roundId, letterId: s.letterId, reply: r });
        } catch {
          // a letter that is gone has nothing to triage
        }
      }),
    );
  }
  waiting.sort((a, b) => a.reply.filedAt.localeCompare(b.reply.filedAt));
  let bounced: Bounced[] = [];
  try {
    bounced = (await listLetters(web.client, queries.inState('undeliverable'))).map((r) => ({ roundId: r.roundId, letterId: r.letterId, recipient: r.recipient?.name }));
  } catch {
    // no visibility (a test server): none shown
  }
  return inboxPage(ctx, { state, unavailable, waiting, bounced, canRecord: !!role && (CAN_RECORD as readonly string[]).includes(role), tz: web.tz, error });
}
