// The mailbox workflow (issue 13): keeps the mailbox's UIDVALIDITY and last UID, polls through
// short activities (the time-skipping test server does not skip time while an activity runs, and
// a Schedule is not implemented there), files each message on its letter with the letter's
// fileMail signal, and keeps what matches no letter in a holding pen. Continues-as-new to keep
// its history short. The rules (classify, match) are in domain/replies.ts.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { classify, matchCandidates, type IncomingMail, type MailKind } from '../domain/replies';
import type { FileMailPayload } from '../domain/types';
import * as api from './letter-api';
import * as mb from './mailbox-api';

const { pollMailbox, readStoredMail } = proxyActivities<Activities>({
  // A poll reads at most 20 messages (one may be 50 MB): short, so the test server's clock moves between polls.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
// One visibility query; a failing one returns no letters (the message goes to the holding pen).
const { lettersBySender } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

const PEN_KEEP = 500;
const RECENT_KEEP = 200;
/** Polls per run before continuing as new. */
const POLLS_PER_RUN = 200;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const now = (): string => new Date().toISOString();

export async function mailbox(input: mb.MailboxInput = {}): Promise<void> {
  const state: mb.MailboxState = input.state ?? { lastUid: 0, pen: [], recent: [], rescans: 0, penOverflow: 0 };
  const pollMs = Math.max(1, input.pollSeconds ?? mb.DEFAULT_POLL_SECONDS) * 1000;
  let woken = false;

  setHandler(mb.inbox, () => state);
  setHandler(mb.mailArrived, () => {
    woken = true;
  });
  setHandler(
    mb.fileFromPen,
    async (p) => {
      const i = state.pen.findIndex((e) => e.mail.messageId === p.messageId);
      const entry = state.pen[i];
      // Another update may have taken it between the validator and here.
      if (!entry) throw ApplicationFailure.nonRetryable(`${p.messageId} is no longer in the holding pen`, 'NotInPen');
      const to = { roundId: p.roundId, letterId: p.letterId, by: 'staff', confidence: 'high' as const };
      if (!(await signalLetter(entry.mail, entry.kind, to))) {
        throw ApplicationFailure.nonRetryable(`${p.roundId}/${p.letterId} is not an open letter (it does not exist or has finished)`, 'NoSuchLetter');
      }
      const at = state.pen.findIndex((e) => e.mail.messageId === p.messageId);
      if (at >= 0) state.pen.splice(at, 1);
      const outcome = { filed: true as const, roundId: p.roundId, letterId: p.letterId, kind: entry.kind.kind, by: `staff${p.by ? ` (${p.by})` : ''}`, messageId: p.messageId };
      remember({ ...outcome, subject: entry.mail.subject, from: entry.mail.from, at: now() });
      return outcome;
    },
    {
      validator: (p) => {
        if (typeof p !== 'object' || p === null) throw new Error('expected { messageId, roundId, letterId }');
        if (!state.pen.some((e) => e.mail.messageId === p.messageId)) throw new Error(`messageId: ${JSON.stringify(String(p.messageId).slice(0, 200))} is not in the holding pen`);
        if (typeof p.roundId !== 'string' || !ID_RE.test(p.roundId)) throw new Error(`roundId: expected a round id like vru-2020, got ${JSON.stringify(p.roundId)}`);
        if (typeof p.letterId !== 'string' || !ID_RE.test(p.letterId)) throw new Error(`letterId: expected a letter id like kent, got ${JSON.stringify(p.letterId)}`);
      },
    },
  );
  setHandler(
    mb.dismiss,
    (p) => {
      const i = state.pen.findIndex((e) => e.mail.messageId === p.messageId);
      if (i < 0) throw ApplicationFailure.nonRetryable(`${p.messageId} is no longer in the holding pen`, 'NotInPen');
      const [entry] = state.pen.splice(i, 1);
      remember({ messageId: p.messageId, subject: entry.mail.subject, from: entry.mail.from, kind: entry.kind.kind, by: `staff${p.by ? ` (${p.by})` : ''}`, at: now(), dismissed: p.reason.slice(0, 500) });
    },
    {
      validator: (p) => {
        if (typeof p !== 'object' || p === null) throw new Error('expected { messageId, reason }');
        if (!state.pen.some((e) => e.mail.messageId === p.messageId)) throw new Error(`messageId: ${JSON.stringify(String(p.messageId).slice(0, 200))} is not in the holding pen`);
        if (typeof p.reason !== 'string' || p.reason.trim() === '') throw new Error('reason: say why the message is dismissed (got nothing)');
      },
    },
  );
  setHandler(mb.importMail, async (p) => fileIncoming(await readStoredMail(p.sha256), p.by ? `staff (${p.by})` : 'staff'), {
    validator: (p) => {
      if (typeof p !== 'object' || p === null || typeof p.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.sha256)) {
        throw new Error('sha256: expected the 64 hex digits of a message in the document store');
      }
    },
  });

  function remember(e: mb.FiledEntry): void {
    state.recent.push(e);
    if (state.recent.length > RECENT_KEEP) state.recent.splice(0, state.recent.length - RECENT_KEEP);
  }

  /** Files one message: on the first candidate letter that takes it, else in the holding pen. */
  async function fileIncoming(mail: IncomingMail, importedBy?: string): Promise<mb.FileOutcome> {
    const kind = classify(mail);
    const envelopeId = kind.kind === 'bounce' || kind.kind === 'delayed' ? kind.envelopeId : undefined;
    let candidates = matchCandidates(mail, [], envelopeId);
    // The sender's address or domain, when exactly one open letter has it (issue 13): the mailboxes
    // that ran before it keep filing such mail in the holding pen.
    if (candidates.length === 0 && mail.from && (kind.kind === 'reply' || kind.kind === 'auto-reply') && patched('replies-sender-match')) {
      candidates = matchCandidates(mail, await lettersBySender(mail.from).catch(() => []), envelopeId);
    }
    for (const c of candidates) {
      if (await signalLetter(mail, kind, c)) {
        const by = importedBy ? `${c.by}, imported by ${importedBy}` : c.by;
        remember({ messageId: mail.messageId, subject: mail.subject, from: mail.from, kind: kind.kind, roundId: c.roundId, letterId: c.letterId, by, at: now() });
        return { filed: true, roundId: c.roundId, letterId: c.letterId, kind: kind.kind, by: c.by, messageId: mail.messageId };
      }
    }
    const why = candidates.length === 0 ? 'it names no letter of ours (no Message-ID or tag, and its sender is not that of exactly one open letter)' : `it names ${candidates.map((c) => `${c.roundId}/${c.letterId}`).join(', ')}, which is not an open letter`;
    if (!state.pen.some((e) => e.mail.messageId === mail.messageId)) {
      state.pen.push({ mail, kind, at: now(), why });
      if (state.pen.length > PEN_KEEP) {
        state.pen.shift();
        state.penOverflow++;
      }
    }
    return { filed: false, messageId: mail.messageId, why };
  }

  async function poll(): Promise<boolean> {
    const r = await pollMailbox({ uidValidity: state.uidValidity, lastUid: state.lastUid });
    if (r.error) {
      state.lastError = { message: r.error, since: state.lastError?.since ?? now(), failures: (state.lastError?.failures ?? 0) + 1 };
      return false;
    }
    state.lastError = undefined;
    if (r.rescanned) {
      state.rescans++;
      state.lastUid = 0;
    }
    state.uidValidity = r.uidValidity;
    if (patched('replies-parallel-filing')) {
      // The batch's messages are filed at once (their signals go out in one workflow task instead
      // of one task each: bench/README.md, replies); the cursor moves past the batch when all are filed.
      await Promise.all(r.messages.map((m) => fileIncoming(m.mail)));
      if (r.messages.length > 0) state.lastUid = Math.max(state.lastUid, ...r.messages.map((m) => m.uid));
    } else {
      for (const m of r.messages) {
        await fileIncoming(m.mail);
        state.lastUid = m.uid;
      }
    }
    return r.more;
  }

  for (let polls = 0; ; polls++) {
    if (polls >= POLLS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof mailbox>({ pollSeconds: pollMs / 1000, state });
    }
    woken = false;
    const more = await poll();
    if (more) continue;
    // An unreadable mailbox is tried again with backoff: 5 s doubling to the poll interval.
    const failures = state.lastError?.failures ?? 0;
    const wait = failures > 0 ? Math.min(pollMs, 5000 * 2 ** Math.min(failures - 1, 10)) : pollMs;
    await condition(() => woken, wait);
  }
}

/** Signals the letter; false when there is no such open letter (it never existed or has finished). */
async function signalLetter(mail: IncomingMail, kind: MailKind, to: { roundId: string; letterId: string; by: string; confidence: 'high' | 'low' }): Promise<boolean> {
  const payload: FileMailPayload = {
    kind: kind.kind,
    messageId: mail.messageId,
    from: mail.from,
    date: mail.date,
    subject: mail.subject,
    excerpt: mail.excerpt,
    attachments: mail.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256 })),
    raw: mail.raw,
    reason: kind.kind === 'reply' ? undefined : kind.reason,
    matchedBy: to.by,
    confidence: to.confidence,
    ...(mail.problems.length > 0 ? { problems: mail.problems } : {}),
  };
  try {
    await getExternalWorkflowHandle(api.workflowIdFor(to.roundId, to.letterId)).signal(api.fileMail, payload);
    return true;
  } catch {
    return false;
  }
}
