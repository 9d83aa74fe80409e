// Response statistics (issue 16, item 4), per round and per organisation: worked out from what
// registers already list (search attributes and memos), never one query per letter. Pure.
import { workingDaysBetween, type CalendarOptions } from './calendar';
import type { DocumentKey } from './documents';
import type { LetterProgress } from './types';

export interface StatsLetter {
  roundId: string;
  organisation: string;
  state: string;
  /** Whether the workflow is still running. */
  open: boolean;
  requested: DocumentKey[];
  progress?: LetterProgress;
  nextActionAt: string | null;
}

export interface Stats {
  group: string;
  letters: number;
  answeredInFull: number;
  answeredInPart: number;
  declined: number;
  unanswered: number;
  withdrawn: number;
  /** Every requested document received or declined on or before the first step's planned date; of letters whose memo says. */
  answeredWithinFirstDeadline: number;
  /** Per document: the median working days from sent-on to its receipt (null when none came). */
  medianWorkingDaysTo: Partial<Record<DocumentKey, number | null>>;
  /** Chases sent, in all; and the median per letter answered in full. */
  chases: number;
  medianChasesToFull: number | null;
  overdueNow: number;
  /** How late the overdue letters are, in working days (their next action's date to today). */
  overdueWorkingDays: { median: number | null; max: number | null };
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Statistics for each group of letters (`by` gives a letter's group), in group order. */
export function responseStats(letters: StatsLetter[], by: (l: StatsLetter) => string, today: string, cal?: CalendarOptions): Stats[] {
  const groups = new Map<string, StatsLetter[]>();
  for (const l of letters) groups.set(by(l), [...(groups.get(by(l)) ?? []), l]);
  return [...groups.keys()].sort().map((group) => statsOf(group, groups.get(group)!, today, cal));
}

function statsOf(group: string, letters: StatsLetter[], today: string, cal?: CalendarOptions): Stats {
  const s: Stats = {
    group, letters: letters.length, answeredInFull: 0, answeredInPart: 0, declined: 0, unanswered: 0, withdrawn: 0,
    answeredWithinFirstDeadline: 0, medianWorkingDaysTo: {}, chases: 0, medianChasesToFull: null, overdueNow: 0, overdueWorkingDays: { median: null, max: null },
  };
  const daysTo = new Map<DocumentKey, number[]>();
  const chasesToFull: number[] = [];
  const late: number[] = [];
  for (const l of letters) {
    const answered = l.progress?.answered ?? {};
    const received = l.requested.filter((k) => answered[k] && 'receivedOn' in answered[k]!);
    const declined = l.requested.filter((k) => answered[k] && 'declinedOn' in answered[k]!);
    if (l.state === 'withdrawn') s.withdrawn++;
    else if (received.length === l.requested.length) s.answeredInFull++;
    else if (received.length > 0) s.answeredInPart++;
    else if (declined.length > 0) s.declined++;
    else s.unanswered++;
    const p = l.progress;
    if (p?.firstDeadline && l.requested.length > 0 && l.requested.every((k) => {
      const a = answered[k];
      const on = a ? ('receivedOn' in a ? a.receivedOn : a.declinedOn) : undefined;
      return on !== undefined && on <= p.firstDeadline!;
    })) s.answeredWithinFirstDeadline++;
    if (p?.sentOn) {
      for (const k of received) {
        const on = (answered[k] as { receivedOn: string }).receivedOn;
        daysTo.set(k, [...(daysTo.get(k) ?? []), on <= p.sentOn ? 0 : workingDaysBetween(p.sentOn, on, cal)]);
      }
    }
    s.chases += p?.chases ?? 0;
    if (received.length === l.requested.length && p?.chases !== undefined) chasesToFull.push(p.chases);
    if (l.open && l.nextActionAt && l.nextActionAt.slice(0, 10) < today) {
      s.overdueNow++;
      late.push(workingDaysBetween(l.nextActionAt.slice(0, 10), today, cal));
    }
  }
  const docs = [...new Set(letters.flatMap((l) => l.requested))];
  for (const k of docs) s.medianWorkingDaysTo[k] = median(daysTo.get(k) ?? []);
  s.medianChasesToFull = median(chasesToFull);
  s.overdueWorkingDays = { median: median(late), max: late.length ? Math.max(...late) : null };
  return s;
}
