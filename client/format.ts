// Plain-text output for the terminal: tables and a letter's timeline.
import { DOCUMENT_LABELS } from '../domain/documents';
import { formatLongDate } from '../domain/email';
import { LETTER_STATES } from '../domain/states';
import type { LetterStatus } from '../domain/types';
import type { LetterRow, RoundSummary } from './queries';

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function when(iso: string | null): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z');
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

export function formatRegister(rows: LetterRow[], now = new Date()): string {
  if (rows.length === 0) return 'No letters in this round (visibility may take a second to catch up).';
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

export function formatLetter(s: LetterStatus): string {
  const r = s.recipient;
  const lines = [
    `${s.roundId}/${s.letterId}: ${LETTER_STATES[s.state]}`,
    `  to       ${r.name}${r.role ? `, ${r.role}` : ''}${r.organisation ? ` (${r.organisation})` : ''} <${r.email}>`,
    `  letter   ${formatLongDate(s.letterDate)}: ${s.subject}`,
    `  next     ${s.nextAction ? `${s.nextAction.kind} at ${when(s.nextAction.at)}` : 'nothing'}`,
    ...(s.attention ? [`  needs attention: ${s.attention}`] : []),
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
      ].filter(Boolean);
      return `    ${when(t.at)}  ${t.kind.padEnd(13)} ${detail.join('; ')}`;
    }),
  ];
  return lines.join('\n');
}
