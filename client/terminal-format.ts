// Plain-text output for the terminal: tables and a letter's timeline. Everything printed for
// people goes through terminalSafe (a note or a name from an input file must not drive the
// terminal), and every instant through humanTime (the dashboard's format); JSON and CSV keep
// the raw values.
import { DOCUMENT_LABELS } from '../domain/documents';
import { formatLongDate } from '../domain/email';
import { DEFAULT_POLICY } from '../domain/policy';
import { LETTER_STATES } from '../domain/states';
import { humanTime } from '../domain/time-format';
import type { LetterStatus } from '../domain/types';
import type { LetterRow, RoundSummary } from './queries';
import type { RegisterCounts } from './register-query';

// C0 and C1 controls (ESC, BEL, CR, backspace, line breaks...), DEL, the bidi embeddings,
// overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the Unicode line separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of text as the terminal should show it: control and bidi-override characters
 * become visible escapes (ESC → '\x1b', U+202E → '\u202e', a line break → '\n'), so text from
 * a letter, a note or recipients.csv cannot retitle the terminal, move the cursor, overwrite
 * lines or reverse what follows. Idempotent. Multi-line text: escape each line.
 */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Lines of text for the terminal, each made safe (a line break inside one becomes '\n'). */
export function terminalLines(lines: string[]): string {
  return lines.map(terminalSafe).join('\n');
}

/** The time zone the CLI writes times in: the default policy's (the letters' status does not carry their own). */
export const CLI_TIMEZONE = DEFAULT_POLICY.timezone;

/** An instant as people read it ('Mon 18 Jan 2027 09:30 GMT'), '-' for none. */
export function when(iso: string | null | undefined, tz = CLI_TIMEZONE): string {
  return iso ? humanTime(iso, tz) : '-';
}

export function table(head: string[], rows: string[][]): string {
  rows = rows.map((r) => r.map((c) => terminalSafe(c ?? '')));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatRounds(summaries: RoundSummary[]): string {
  if (summaries.length === 0) return 'No rounds yet. Start one with `rounds start <roundDir>`.';
  return table(
    ['round', 'letters', 'overdue', 'by state'],
    summaries.map((s) => [
      s.roundId,
      String(s.letters),
      String(s.overdue),
      Object.entries(s.byState)
        .map(([state, n]) => `${state} ${n}`)
        .join(', '),
    ]),
  );
}

/**
 * The register. `empty` says what was asked when nothing matches ("no overdue letters in
 * round X"), since "no letters" would be wrong when the round has letters in other states.
 */
export function formatRegister(rows: LetterRow[], opts: { now?: Date; empty?: string } = {}): string {
  const now = opts.now ?? new Date();
  if (rows.length === 0) return terminalSafe(`${opts.empty ?? 'No letters in this round'} (visibility may take a second to catch up).`);
  // Recipient and the next step's kind come from the memos (client/letter-memo.ts); '-' for letters started without them.
  return table(
    ['letter', 'recipient', 'state', 'outstanding', 'next action', ''],
    rows.map((r) => [
      r.workflowId,
      r.recipient ? `${r.recipient.name}${r.recipient.organisation ? ` (${r.recipient.organisation})` : ''}` : '-',
      r.state,
      r.outstanding.join(', ') || '-',
      r.nextActionAt ? `${r.progress?.next ? `${r.progress.next} ` : ''}${when(r.nextActionAt)}` : '-',
      r.nextActionAt && Date.parse(r.nextActionAt) < now.getTime() ? 'OVERDUE' : '',
    ]),
  );
}

/** Under a register page: where the page is, the round's counts, and how to see more. */
export function formatRegisterFooter(roundId: string, page: number, shown: number, counts: RegisterCounts, more: boolean): string {
  const states = Object.entries(counts.byState)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
  const lines = [
    '',
    `round ${roundId}: ${counts.letters} letter${counts.letters === 1 ? '' : 's'}, ${counts.overdue} overdue${states ? `; ${states}` : ''}`,
    `page ${page} (${shown} letter${shown === 1 ? '' : 's'}, overdue first)${more ? `; next: rounds status ${roundId} --page ${page + 1}` : ''}; every letter: --all, --json or --csv`,
  ];
  return terminalLines(lines);
}

/** `rounds show --explain`: why each step falls when it does (domain/explain.ts). */
export function formatExplanations(s: LetterStatus): string {
  const lines = [`${s.roundId}/${s.letterId}: how its dates were worked out`];
  for (const e of s.explanations ?? []) {
    const step = s.steps.find((x) => x.index === e.step);
    lines.push(`  ${e.text}${step && step.status !== 'pending' ? ` (${step.status})` : ''}`);
  }
  if (!s.explanations?.length) lines.push('  no steps are planned');
  return terminalLines(lines);
}

export function formatLetter(s: LetterStatus): string {
  const r = s.recipient;
  const lines = [
    `${s.roundId}/${s.letterId}: ${LETTER_STATES[s.state]}`,
    `  to       ${r.name}${r.role ? `, ${r.role}` : ''}${r.organisation ? ` (${r.organisation})` : ''} <${r.email}>`,
    `  letter   ${formatLongDate(s.letterDate)}: ${s.subject}`,
    `  next     ${s.nextAction ? `${s.nextAction.kind} at ${when(s.nextAction.at)}` : 'nothing'}`,
    ...(s.attention ? [`  needs attention: ${s.attention}`] : []),
    ...(s.undeliverable ? [`  undeliverable: ${s.undeliverable} (fix with \`rounds correct-address\`)`] : []),
    ...(s.heldBy ? [`  chases held until the reply ${s.heldBy} is triaged (\`rounds triage\`)`] : []),
    ...(s.replies?.length
      ? [
          '  replies',
          ...s.replies.flatMap((r) => [
            `    ${when(r.filedAt).padEnd(25)}  ${r.messageId}  from ${r.from ?? '(unknown)'}: "${r.subject}"${r.confidence === 'low' ? ' (matched by sender: check it)' : ''}`,
            ...r.attachments.slice(0, 10).map((a, i) => {
              const p = r.published?.find((x) => x.attachment === i + 1);
              return `      ${i + 1}. ${a.name} (${a.contentType}, ${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…)${p ? (p.redacted ? `; published as ${p.redacted.name}` : '; published') : ''}`;
            }),
            `      ${r.triaged ? `triaged ${when(r.triaged.at)}: ${r.triaged.documents.join(', ') || 'no documents yet'}` : `not triaged${r.suggested.length ? `; seems to carry ${r.suggested.join(', ')}` : ''}`}`,
          ]),
        ]
      : []),
    ...(s.attachments?.length
      ? [
          '  documents received by post or by hand',
          ...s.attachments.map((a) => `    ${a.id.padEnd(4)} ${a.title} (${a.file.name}), received ${a.receivedOn}; ${a.publish ? (a.redacted ? `published as ${a.redacted.name}` : 'published') : 'not published'}`),
        ]
      : []),
    ...(s.publicationOpenUntil ? [`  open for publication changes until ${when(s.publicationOpenUntil)} (\`rounds publication\`)`] : []),
    '  documents',
    ...Object.entries(s.documents).map(([key, d]) => {
      const state = d.receivedOn ? `received ${d.receivedOn}` : d.declinedOn ? `declined ${d.declinedOn}` : 'outstanding';
      return `    ${key.padEnd(17)} ${state.padEnd(20)} ${DOCUMENT_LABELS[key as keyof typeof DOCUMENT_LABELS]}`;
    }),
    '  timeline',
    ...s.timeline.map((t) => {
      const detail = [
        t.documents?.length ? t.documents.join(', ') : undefined,
        t.on ? `on ${t.on}` : undefined,
        t.subject ? `"${t.subject}"` : undefined,
        t.by ? `by ${t.by}` : undefined,
        t.note,
        t.message,
        // What exactly was sent: the letter's PDF, by name, size and the SHA-256 of its bytes.
        ...(t.kind === 'sent' ? (t.attachments ?? []).map((a) => `attached ${a.name} (${a.size} bytes, sha256 ${a.sha256})`) : []),
      ].filter(Boolean);
      return `    ${when(t.at).padEnd(25)}  ${t.kind.padEnd(13)} ${detail.join('; ')}`.trimEnd();
    }),
  ];
  return terminalLines(lines);
}
