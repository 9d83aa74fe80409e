// The letter workflow: one per letter, id '<roundId>/<letterId>'. It holds the timers and
// sends emails through activities; the rules live in domain/letter.ts.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../activities';
import { renderCoverEmail, renderFollowUp, renderLetterEmail, renderLetterResend, type EmailMessage } from '../domain/email';
import { Letter, type CarriedLetter } from '../domain/letter';
import { AlreadyAppliedError } from '../domain/errors';
import { recipientKeys, taggedAddress, withSubjectTag } from '../domain/replies';
import type { ScheduledStep } from '../domain/schedule';
import type { EmailRecord, LetterInput, LetterStatus, ReplyAttachment } from '../domain/types';
import * as api from './letter-api';
import { isUndecodable } from './payload-converter';

const { sendEmail } = proxyActivities<Activities>({
  // Short enough that a hung SMTP conversation is retried, long enough for a slow server;
  // the activity's own socket timeouts are shorter, so a timed-out attempt is really dead.
  startToCloseTimeout: '2 minutes',
  // The activity heartbeats every few seconds while it talks SMTP, so an email whose worker
  // died is retried after 20 s instead of waiting out the 2 minutes.
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    // No attempt limit: an SMTP outage delays an email, it never loses it.
    nonRetryableErrorTypes: ['HeaderInjectionError', 'SmtpPermanentError'],
  },
});

// The letter as a PDF (activities/letter-pdf.ts), made and stored before it is sent. A crash or
// timeout is retried; what cannot work (no Chromium, the PDF letter not in the store) is not,
// and the letter says so on its timeline and tries again later (see sendOrRecord).
const { makeLetterPdf } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['ChromiumMissingError', 'MissingDocumentError', 'NoDocumentStore', 'NoLetter'],
  },
});

/** After a letter's PDF could not be made: first wait before trying again, and the longest. */
const PDF_RETRY_FIRST_MS = 10 * 60_000;
const PDF_RETRY_MAX_MS = 24 * 60 * 60_000;

const now = (): string => new Date().toISOString();

export async function letter(input: LetterInput, carried?: CarriedLetter): Promise<LetterStatus> {
  // A run continued from an earlier one (see below) starts from the state that run carried.
  const l = new Letter(input, now(), carried);

  // Keeps the search attributes (what registers and "overdue" queries read) and the progress
  // memo (what a register row shows besides) in step with the letter.
  let published = '';
  let publishedProgress = '';
  // Replies in (issue 13): a letter started with RecipientEmails (client/letters.ts) keeps it in
  // step when correctAddress changes its addresses; one started without it never gets it.
  const startedRecipients = workflowInfo().typedSearchAttributes.get(api.RecipientEmails);
  let publishedRecipients = JSON.stringify(startedRecipients ?? null);
  const publish = (): void => {
    if (startedRecipients !== undefined) {
      const keys = recipientKeys(l.input.recipient);
      const recipientsKey = JSON.stringify(keys);
      if (recipientsKey !== publishedRecipients && patched('replies-recipient-emails')) {
        publishedRecipients = recipientsKey;
        upsertSearchAttributes([{ key: api.RecipientEmails, value: keys }]);
      }
    }
    const next = l.nextAction();
    const outstanding = l.outstanding();
    const key = JSON.stringify([l.state, next?.at ?? null, outstanding]);
    if (key !== published) {
      published = key;
      upsertSearchAttributes([
        { key: api.LetterState, value: l.state },
        { key: api.NextActionAt, value: next ? new Date(next.at) : null },
        { key: api.Outstanding, value: outstanding },
      ]);
    }
    // Statistics fields (issue 16) only for letters that start with them: an older letter's memo changes when it did.
    const progress = patched('progress-stats') ? l.progressWithStats() : l.progress();
    const progressKey = JSON.stringify(progress);
    // Added after histories were recorded: letters that started without it never publish it.
    if (progressKey !== publishedProgress && patched('progress-memo')) {
      publishedProgress = progressKey;
      upsertMemo({ [api.PROGRESS_MEMO_KEY]: progress });
    }
  };

  setHandler(api.status, () => l.status());
  // issue 16: what a calendar change would do (a query: nothing recorded, nothing to patch).
  setHandler(api.calendarPreview, (p) => l.previewCalendar(p));
  setHandler(api.documentsReceived, (p) => {
    try {
      refuseUndecodable(p);
      l.recordReceipt(p, now());
    } catch (err) {
      l.rejected(now(), 'documentsReceived', (err as Error).message);
    }
    publish();
  });
  // Every update: validated first (a refusal leaves no trace in the history), then applied.
  const onUpdate = <P>(
    definition: UpdateDefinition<LetterStatus, [P]>,
    apply: (p: P, at: string) => LetterStatus,
    validate: (p: P) => void,
  ): void =>
    setHandler(
      definition,
      (p) => {
        // The validator has accepted it, so this applies; should a rule still refuse, the update
        // fails with that message (an ApplicationFailure) instead of failing the workflow task.
        try {
          return apply(p, now());
        } catch (err) {
          log.warn('update refused after validation', { update: definition.name, error: (err as Error).message });
          throw ApplicationFailure.nonRetryable((err as Error).message, (err as Error).name);
        } finally {
          publish();
        }
      },
      {
        validator: (p) => {
          refuseUndecodable(p);
          try {
            validate(p);
          } catch (err) {
            // A change the letter already has: the client reports it as unchanged, not refused (issue 16).
            if (err instanceof AlreadyAppliedError) throw ApplicationFailure.create({ type: api.ALREADY_APPLIED, message: err.message, nonRetryable: true });
            throw err;
          }
        },
      },
    );
  onUpdate(api.recordReceipt, (p, at) => l.recordReceipt(p, at), (p) => l.validateReceipt(p, now()));
  onUpdate(api.recordDecline, (p, at) => l.recordDecline(p, at), (p) => l.validateDecline(p, now()));
  onUpdate(api.extendDeadline, (p, at) => l.extendDeadline(p, at), (p) => l.validateExtend(p, now()));
  onUpdate(api.pause, (p, at) => l.pause(p, at), (p) => l.validatePause(p));
  onUpdate(api.resume, (p, at) => l.resume(p, at), (p) => l.validateResume(p));
  onUpdate(api.withdraw, (p, at) => l.withdraw(p, at), (p) => l.validateWithdraw(p));
  onUpdate(api.addNote, (p, at) => l.addNote(p, at), (p) => l.validateNote(p));
  // Publication (issue 14): no commands of their own, so no patch; accepted while the workflow runs,
  // which includes a finished letter's publication window (below).
  onUpdate(api.attachDocument, (p, at) => l.attachDocument(p, at), (p) => l.validateAttachDocument(p, now()));
  onUpdate(api.setPublication, (p, at) => l.setPublication(p, at), (p) => l.validateSetPublication(p));
  onUpdate(api.closeLetter, (p, at) => l.closeLetter(p, at), (p) => l.validateCloseLetter(p));
  // Replies in (issue 13).
  setHandler(api.fileMail, (p) => {
    if (isUndecodable(p)) l.rejected(now(), 'fileMail', p.undecodablePayload);
    else l.fileMail(p, now());
    publish();
  });
  onUpdate(api.triageReply, (p, at) => l.triageReply(p, at), (p) => l.validateTriage(p, now()));
  onUpdate(api.correctAddress, (p, at) => l.correctAddress(p, at), (p) => l.validateCorrectAddress(p));
  // issue 16: deadlines
  onUpdate(api.changeCalendar, (p, at) => l.changeCalendar(p, at), (p) => {
    l.validateCalendar(p);
    l.refuseRepeatedCalendar(p);
  });

  // Nothing is sent or recorded for a letter whose fields are unusable: it waits in needs-attention.
  if (!l.unusableInput && !carried) await sendOrRecord(l);
  l.skipOverdue(now());
  publish();

  while (!l.ended) {
    // A long history (thousands of notes or signals): go on in a new run carrying the state, once
    // every handler has finished (issue 16). Only evaluated when suggested, so older histories replay as before.
    if (workflowInfo().continueAsNewSuggested && patched('continue-as-new')) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof letter>(l.input, l.carry());
    }
    if (l.resendPending) {
      // After correctAddress: the letter again, to the corrected address.
      l.resendPending = false;
      await sendOrRecord(l, true);
      publish();
      continue;
    }
    const step = l.nextStep();
    const version = l.version;
    if (!step) {
      // Paused, or every step has happened: wait for staff to change something.
      await condition(() => l.version !== version);
      continue;
    }
    const wait = Date.parse(step.dueAt) - Date.now();
    if (wait > 0 && (await condition(() => l.version !== version, wait))) continue; // something changed: re-plan
    await fire(l, step);
    publish();
  }

  // The publication window (issue 14): a finished letter stays open for publication changes
  // (attachDocument, setPublication, closeLetter) for policy.publicationWindow, restarted by
  // each; its state stays what it ended as. Letters that ended before this existed complete as they did.
  if (l.publicationWindowApplies && patched('publish-window')) {
    l.openPublicationWindow(now());
    while (l.publicationUntil !== null) {
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof letter>(l.input, l.carry());
      }
      const version = l.version;
      const wait = Date.parse(l.publicationUntil) - Date.now();
      if (wait > 0 && (await condition(() => l.version !== version, wait))) continue; // a change: its end may have moved
      if (l.version === version) l.publicationWindowEnded();
    }
  }

  // Let any update that is still running finish before the workflow completes.
  await condition(allHandlersFinished);
  return l.status();
}

/** A payload the worker could not decode (workflows/payload-converter.ts) is refused like a wrong-shaped one. */
function refuseUndecodable(p: unknown): void {
  if (isUndecodable(p)) throw new Error(p.undecodablePayload);
}

/** The letter itself: emailed first (delivery 'send'), or recorded as sent by other means. */
async function sendOrRecord(l: Letter, resend = false): Promise<void> {
  if (l.input.delivery === 'send') {
    // Sent as offices do (issue 18): the covering note, the letter attached as a PDF. Only letters
    // started with attachLetter (which no earlier letter has) take this path.
    let attachment: ReplyAttachment | undefined;
    if (l.input.attachLetter && patched('office-attach-letter')) {
      attachment = await letterPdf(l);
      if (!attachment) return; // withdrawn while it waited
    }
    const first = attachment ? renderCoverEmail(l.input, attachment) : renderLetterEmail(l.input);
    // A resend (correctAddress) gets its own Message-ID, threaded to the first send (issue 13); letters that resent before kept the first id.
    const sentBefore = l.emails.filter((e) => e.kind === 'letter').length;
    const render = resend && sentBefore > 0 && patched('replies-resend-message-id') ? renderLetterResend(l.input, sentBefore, first) : first;
    const message = tagged(render, l);
    const failure = await send(message);
    if (failure) l.letterFailed(now(), `${message.messageId}: ${failure}`);
    else l.letterSent(now(), emailRecord('letter', undefined, message, l.input.documents));
  } else {
    l.letterSent(now());
  }
}

/**
 * The letter's PDF, stored first so that the email (and any retry of it) attaches exactly those
 * bytes. When it cannot be made (no Chromium on the worker, the PDF letter missing from the
 * store), the letter is not sent without it, nor lost: the timeline says why, and it is tried
 * again after 10 minutes, then less often (at most a day apart) until it works or the letter
 * ends. Undefined: the letter ended (withdrawn) meanwhile.
 */
async function letterPdf(l: Letter): Promise<ReplyAttachment | undefined> {
  const a = l.input.attachLetter!;
  let wait = PDF_RETRY_FIRST_MS;
  for (;;) {
    try {
      return await makeLetterPdf({
        roundId: l.input.roundId,
        letterId: l.input.letterId,
        fileName: a.fileName,
        letterDate: l.input.letterDate,
        title: l.input.subject,
        ...(a.pdf ? { pdf: a.pdf } : { html: l.input.body?.html ?? '' }),
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = err.cause?.message ?? err.message;
      const again = new Date(Date.now() + wait).toISOString();
      log.warn('letter PDF could not be made', { error: reason });
      l.letterFailed(now(), `the letter was not sent: its PDF (${a.fileName}) could not be made: ${reason}; tried again at ${again}`);
      if (await condition(() => l.ended !== null, wait)) return undefined;
      wait = Math.min(wait * 2, PDF_RETRY_MAX_MS);
    }
  }
}

async function fire(l: Letter, step: ScheduledStep): Promise<void> {
  if (step.action === 'close') {
    l.stepFired(step.index, now());
    return;
  }
  const outstanding = l.outstanding();
  const chaseNumber = l.steps.filter((s) => s.action === 'chase' && s.index <= step.index).length;
  // The first chase states the deadline that passed (issue 16).
  const deadline = step.action === 'chase' && chaseNumber === 1 ? l.firstDeadline() : undefined;
  const message = tagged(renderFollowUp(l.input, step.action, step.index, chaseNumber, outstanding, deadline), l);
  const failure = await send(message);
  if (failure) {
    l.stepFailed(step.index, now(), `${message.messageId}: ${failure}`);
    return;
  }
  l.stepFired(step.index, now(), emailRecord(step.action === 'chase' ? 'chase' : 'escalation', step.index, message, outstanding));
}

/** Subjects carry '[round/letter]' so a reply is matched even without its headers (letters started before keep theirs). */
function tagged(m: EmailMessage, l: Letter): EmailMessage {
  const withTag = patched('subject-tag') ? { ...m, subject: withSubjectTag(m.subject, l.input.roundId, l.input.letterId) } : m;
  // coordinator.replyTag: plus (issue 13): Reply-To coordinator+<round>.<letter>@domain. Only letters started with it ask.
  if (l.input.replyTag === 'plus' && patched('replies-reply-tag')) {
    return { ...withTag, replyTo: { ...withTag.replyTo, email: taggedAddress(l.input.coordinator.email, l.input.roundId, l.input.letterId) } };
  }
  return withTag;
}

/** Sends an email; returns the reason if the server refused it for good (retries are unlimited otherwise). */
async function send(message: EmailMessage): Promise<string | undefined> {
  try {
    await sendEmail(message);
    return undefined;
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      log.warn('email failed permanently', { messageId: message.messageId, error: err.cause.message });
      return err.cause.message;
    }
    throw err;
  }
}

function emailRecord(
  kind: EmailRecord['kind'],
  step: number | undefined,
  m: EmailMessage,
  outstanding: EmailRecord['outstanding'],
): EmailRecord {
  return { kind, step, messageId: m.messageId, subject: m.subject, to: m.to, cc: m.cc, sentAt: now(), outstanding, ...(m.attachments ? { attachments: m.attachments } : {}) };
}
