// Why each scheduled step falls when it does, for a person to read: where the count starts and
// why, how many working days, each weekday skipped that is not a weekend (bank holidays named,
// closures with their reason), the time of day and the offset in force. Pure: the workflow's
// status, `rounds show --explain`, the letter page and the chase email share it.
import { IANAZone } from 'luxon';
import { localDateOf, localTimeOn, weekdaysOff } from './calendar';
import { formatLongDate } from './email';
import { formatAfter, type Policy } from './policy';
import { calendarOf, countOf, type ScheduledStep } from './schedule';

export interface DayOff {
  date: string;
  /** 'Monday 28 December 2020, Boxing Day (substitute day)' or '…, office closed: <reason>'. */
  label: string;
}

export interface StepExplanation {
  step: number;
  action: ScheduledStep['action'];
  dueAt: string;
  /** The local date it is due on. */
  on: string;
  /** Working-day steps: the date the count starts from, and why that date. */
  base?: { date: string; why: string };
  workingDays?: number;
  /** Weekdays in the count that are not working days. */
  skipped: DayOff[];
  /** Wall time and the offset in force then: '09:30', 'GMT' (or 'BST', or 'UTC+02:00' elsewhere). */
  time: string;
  offset: string;
  /** Changes since it was planned: extensions, pauses, closures. */
  moves: string[];
  /** The whole explanation in one paragraph. */
  text: string;
}

export interface ExplainContext {
  policy: Policy;
  letterDate: string;
  sentOn: string;
  /** Why each closure date was added (closures from round.yaml have none). */
  closureReasons?: Record<string, string>;
}

/** One sentence-sized explanation per step. */
export function explainSteps(steps: readonly ScheduledStep[], ctx: ExplainContext): StepExplanation[] {
  return steps.map((s) => explainStep(s, ctx));
}

export function explainStep(s: ScheduledStep, ctx: ExplainContext): StepExplanation {
  const { policy } = ctx;
  const on = localDateOf(s.dueAt, policy.timezone);
  const { time, offset } = wallTime(s.dueAt, policy.timezone);
  const moves = s.moves ?? [];
  const name = `${s.action === 'escalate' ? 'escalation' : s.action} (step ${s.index + 1})`;
  if (s.unit === 'duration') {
    const after = policy.steps[s.index]?.after;
    const text = `${name}: ${after ? formatAfter(after) : 'a set time'} after the letter was sent, at ${time} ${offset} on ${formatLongDate(on)}.${movesText(moves)}`;
    return { step: s.index, action: s.action, dueAt: s.dueAt, on, skipped: [], time, offset, moves, text };
  }
  const counted = countOf(s, policy, ctx.sentOn);
  const why =
    counted.from === ctx.sentOn
      ? ctx.sentOn === ctx.letterDate
        ? "the letter's date"
        : `the date the letter counts as sent (it is dated ${formatLongDate(ctx.letterDate)})`
      : 'the date its steps were planned again from';
  const skipped = weekdaysOff(counted.from, on, calendarOf(policy)).map((d): DayOff => ({
    date: d.date,
    label: `${formatLongDate(d.date)}, ${d.holiday ?? (ctx.closureReasons?.[d.date] ? `closed: ${ctx.closureReasons[d.date]}` : 'closed (round closure)')}`,
  }));
  const days = `${counted.days} working day${counted.days === 1 ? '' : 's'}`;
  const skippedText = skipped.length ? ` Not counted besides weekends: ${skipped.map((d) => d.label).join('; ')}.` : ' No bank holiday or closure fell in between.';
  // The base date's offset at the same wall time: a clock change in between is said, not left to be noticed.
  const before = wallTime(localTimeOn(counted.from, policy.sendAt, policy.timezone), policy.timezone).offset;
  const clocks = before !== offset ? ` (the clocks changed from ${before} to ${offset} in between)` : '';
  const text = `${name}: ${days} after ${formatLongDate(counted.from)} (${why}), so ${formatLongDate(on)}, at ${time} ${offset}${clocks}.${skippedText}${movesText(moves)}`;
  return { step: s.index, action: s.action, dueAt: s.dueAt, on, base: { date: counted.from, why }, workingDays: counted.days, skipped, time, offset, moves, text };
}

function movesText(moves: string[]): string {
  return moves.length ? ` Since planned: ${moves.join('; ')}.` : '';
}

/** '09:30' and 'GMT'/'BST' (or 'UTC+02:00' for other zones) at `instant` in `timezone`. */
function wallTime(instant: string, timezone: string): { time: string; offset: string } {
  const ms = Date.parse(instant);
  const minutes = IANAZone.create(timezone).offset(ms);
  const local = new Date(ms + minutes * 60_000);
  const time = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  if (timezone === 'Europe/London') return { time, offset: minutes === 60 ? 'BST' : minutes === 0 ? 'GMT' : utc(minutes) };
  return { time, offset: utc(minutes) };
}

function utc(minutes: number): string {
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The first deadline as the first chase states it: 20 working days, by Tuesday 10 November 2020. */
export function firstDeadline(steps: readonly ScheduledStep[], ctx: ExplainContext): { workingDays: number; on: string } | undefined {
  const first = steps.find((s) => s.index === 0);
  if (!first || first.unit !== 'workingDays') return undefined;
  const counted = countOf(first, ctx.policy, ctx.sentOn);
  return { workingDays: counted.days, on: localDateOf(first.dueAt, ctx.policy.timezone) };
}
