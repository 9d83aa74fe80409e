// When each policy step of one letter is due, and how extensions, pauses and late imports
// move those times. Pure and deterministic: the workflow and the CLI/dashboard share it.
import { addWorkingDays, type CalendarOptions, CALENDAR_YEARS, isInCalendar, localDateOf, parseIsoDate, localTimeOn, workingDaysBetween } from './calendar';
import { formatAfter, type Policy, type StepAction } from './policy';
import { CalendarError, ScheduleError } from './errors';

const CALENDAR = `the working-day calendar (England and Wales bank holidays, ${CALENDAR_YEARS.first} to ${CALENDAR_YEARS.last})`;
const LAST_DATE = `${CALENDAR_YEARS.last}-12-31`;

/** Runs calendar arithmetic, turning its errors into a ScheduleError that starts with `what`. */
function planning<T>(what: string, fn: () => T, step?: number): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarError) throw new ScheduleError(`${what}: ${err.message.replace(/^\w+: /, '')}`, step);
    throw err;
  }
}

/**
 * Every pending working-day step must fall inside the calendar, so later shifts (pause,
 * extension) can count working days; a plain-duration step needs only be a time Temporal
 * can hold (before the year 10000).
 */
function checkInCalendar(steps: ScheduledStep[], policy: Policy, what: (s: ScheduledStep) => string): ScheduledStep[] {
  for (const s of steps) {
    if (s.status !== 'pending') continue;
    const ms = Date.parse(s.dueAt);
    const date = Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? planning(what(s), () => localDateOf(ms, policy.timezone)) : undefined;
    if (s.unit === 'duration' && date !== undefined && /^\d{4}-/.test(date)) continue;
    if (date === undefined || !isInCalendar(date)) {
      throw new ScheduleError(`${what(s)} would be due ${date ? `on ${date}` : 'at an impossible time'}, after ${LAST_DATE}, the end of ${CALENDAR}`, s.index);
    }
  }
  return steps;
}

/** `ms` after `instant`, as an ISO instant; a CalendarError when that is no time at all. */
function later(instant: string, ms: number): string {
  const t = Date.parse(instant) + ms;
  if (!(Math.abs(t) < 8.64e15)) throw new CalendarError(`${ms} ms after ${instant} is not a time a calendar has`);
  return new Date(t).toISOString();
}

const stepName = (policy: Policy) => (s: { index: number }) => {
  const step = policy.steps[s.index];
  return step ? `step ${s.index + 1} (${formatAfter(step.after)}: ${step.action})` : `step ${s.index + 1}`;
};

/** The calendar a policy counts working days on: its closures, and the bank holidays the letter keeps (policy.holidays). */
export function calendarOf(policy: Policy): CalendarOptions {
  return policy.holidays ? { closures: policy.closures, holidays: policy.holidays } : { closures: policy.closures };
}

export type StepStatus = 'pending' | 'done' | 'skipped' | 'cancelled';

export interface ScheduledStep {
  index: number;
  action: StepAction;
  /** The policy's unit for this step, kept so shifts move it in the same unit. */
  unit: 'workingDays' | 'duration';
  dueAt: string; // ISO 8601 instant
  status: StepStatus;
  firedAt?: string;
  /** Working-day steps: due `countDays` working days after `countFrom` (see domain/explain.ts). */
  countFrom?: string;
  countDays?: number;
  /** What moved this step after it was planned, for a person to read ("extended by 10 working days: ..."). */
  moves?: string[];
}

export interface Anchor {
  /** The date the letter counts from ('YYYY-MM-DD'): working-day steps are counted from it. */
  sentOn: string;
  /** The instant the letter was sent: plain-duration steps are counted from it. */
  sentAt: string;
}

/** When each step of the policy is due. Throws a ScheduleError when a step cannot be planned on the calendar. */
export function planSteps(policy: Policy, anchor: Anchor): ScheduledStep[] {
  planning('sent on', () => parseIsoDate(anchor.sentOn));
  if (policy.steps.some((s) => s.after.unit === 'workingDays') && !isInCalendar(anchor.sentOn)) {
    throw new ScheduleError(`the letter counts as sent on ${anchor.sentOn}, outside ${CALENDAR}`);
  }
  const opts = calendarOf(policy);
  const name = stepName(policy);
  const steps = policy.steps.map(
    (step, index): ScheduledStep => ({
      index,
      action: step.action,
      unit: step.after.unit,
      dueAt: planning(
        name({ index }),
        () => {
          if (step.after.unit === 'duration') return later(anchor.sentAt, step.after.ms);
          const date = addWorkingDays(anchor.sentOn, step.after.days, opts);
          return localTimeOn(date, policy.sendAt, policy.timezone);
        },
        index,
      ),
      status: 'pending',
      ...(step.after.unit === 'workingDays' ? { countFrom: anchor.sentOn, countDays: step.after.days } : {}),
    }),
  );
  return checkInCalendar(steps, policy, (s) => `${name(s)} from ${anchor.sentOn}`);
}

/**
 * Plans the steps at `indexes` again so that the first falls on `until` and the others keep
 * their spacing from the policy (working-day steps in working days, plain-duration steps in
 * time): the fix for a letter whose steps could not be planned (state needs-attention).
 */
export function planFrom(policy: Policy, indexes: number[], until: string): ScheduledStep[] {
  const opts = calendarOf(policy);
  const name = stepName(policy);
  const firstDays = indexes.map((i) => policy.steps[i].after).find((a) => a.unit === 'workingDays');
  const firstMs = indexes.map((i) => policy.steps[i].after).find((a) => a.unit === 'duration');
  const start = planning(`until ${until}`, () => localTimeOn(until, policy.sendAt, policy.timezone));
  const steps = indexes.map((index): ScheduledStep => {
    const after = policy.steps[index].after;
    return {
      index,
      action: policy.steps[index].action,
      unit: after.unit,
      dueAt: planning(name({ index }), () =>
        after.unit === 'workingDays'
          ? localTimeOn(addWorkingDays(until, after.days - (firstDays as { days: number }).days, opts), policy.sendAt, policy.timezone)
          : later(start, after.ms - (firstMs as { ms: number }).ms),
      ),
      status: 'pending',
      ...(after.unit === 'workingDays' ? { countFrom: until, countDays: after.days - (firstDays as { days: number }).days } : {}),
    };
  });
  return checkInCalendar(steps, policy, (s) => `${name(s)}, re-planned from ${until},`);
}

export function nextPending(steps: readonly ScheduledStep[]): ScheduledStep | undefined {
  return steps.find((s) => s.status === 'pending');
}

/**
 * A letter imported (or resumed) after some steps were already due fires at most one
 * catch-up action: the latest one due. The earlier due ones are skipped.
 * Returns the indexes to mark skipped; the latest due one stays pending so it fires now.
 */
export function stepsToSkip(steps: readonly ScheduledStep[], nowMs: number): number[] {
  const due = steps.filter((s) => s.status === 'pending' && Date.parse(s.dueAt) <= nowMs);
  return due.slice(0, -1).map((s) => s.index);
}

export type Shift = { workingDays: number; ms: number };

/**
 * Moves every pending step later. Working-day steps move by working days (landing at the
 * policy's local time); plain-duration steps move by milliseconds.
 */
export function shiftPending(steps: ScheduledStep[], policy: Policy, shift: Shift, because?: string): ScheduledStep[] {
  const opts = calendarOf(policy);
  const name = stepName(policy);
  const moved = steps.map((s) => {
    if (s.status !== 'pending') return s;
    if (s.unit === 'workingDays') {
      return planning(`${name(s)}, moved by ${shift.workingDays} working days`, () => {
        const date = addWorkingDays(localDateOf(s.dueAt, policy.timezone), shift.workingDays, opts);
        const counted = countOf(s, policy);
        return { ...s, dueAt: localTimeOn(date, policy.sendAt, policy.timezone), countFrom: counted.from, countDays: counted.days + shift.workingDays, ...movedBecause(s, because) };
      });
    }
    return { ...s, dueAt: planning(name(s), () => later(s.dueAt, shift.ms), s.index), ...movedBecause(s, because) };
  });
  return checkInCalendar(moved, policy, (s) => `${name(s)}, moved later,`);
}

/** The shift that makes the next pending step fall on `until` (a later date). */
export function shiftUntil(next: ScheduledStep, until: string, policy: Policy, steps: readonly ScheduledStep[] = [next]): Shift {
  const opts = calendarOf(policy);
  return planning(`until ${until}`, () => {
    const currentDate = localDateOf(next.dueAt, policy.timezone);
    const newDue = localTimeOn(until, policy.sendAt, policy.timezone);
    return {
      workingDays: countsWorkingDays(steps) ? workingDaysBetween(currentDate, until, opts) : 0,
      ms: Math.max(0, Date.parse(newDue) - Date.parse(next.dueAt)),
    };
  });
}

/** The shift for an extension by N working days (plain-duration steps move N calendar days). */
export function shiftByWorkingDays(n: number): Shift {
  return { workingDays: n, ms: n * 86_400_000 };
}

/** Whether any pending step moves by working days (only then does a shift count them on the calendar). */
function countsWorkingDays(steps: readonly ScheduledStep[]): boolean {
  return steps.some((s) => s.status === 'pending' && s.unit === 'workingDays');
}

/** The shift after a pause: the working days (or the time) the clock was stopped. */
export function shiftForPause(pausedAt: string, resumedAt: string, policy: Policy, steps?: readonly ScheduledStep[]): Shift {
  const opts = calendarOf(policy);
  return planning('the working days paused', () => ({
    workingDays: !steps || countsWorkingDays(steps)
      ? workingDaysBetween(localDateOf(pausedAt, policy.timezone), localDateOf(resumedAt, policy.timezone), opts)
      : 0,
    ms: Math.max(0, Date.parse(resumedAt) - Date.parse(pausedAt)),
  }));
}

const MAX_MOVES = 20;
function movedBecause(s: ScheduledStep, because: string | undefined): Pick<ScheduledStep, 'moves'> {
  return because === undefined ? {} : { moves: [...(s.moves ?? []), because].slice(-MAX_MOVES) };
}

/**
 * Where a working-day step counts from and how many working days: as recorded, or (a step
 * planned before these were kept) the letter's sent-on date and the working days since.
 */
export function countOf(s: ScheduledStep, policy: Policy, sentOn?: string): { from: string; days: number } {
  if (s.countFrom !== undefined && s.countDays !== undefined) return { from: s.countFrom, days: s.countDays };
  const from = sentOn ?? localDateOf(s.dueAt, policy.timezone);
  return { from, days: workingDaysBetween(from, localDateOf(s.dueAt, policy.timezone), calendarOf(policy)) };
}

/**
 * Plans the pending working-day steps again on `next` (the letter's policy with new closures
 * or a new bank holiday table), each from where it counts from, by the same number of working
 * days. Plain-duration steps do not move. Throws a ScheduleError when one falls beyond the calendar.
 */
export function replanOn(steps: ScheduledStep[], before: Policy, next: Policy, sentOn: string, because: string): ScheduledStep[] {
  const name = stepName(next);
  const moved = steps.map((s) => {
    if (s.status !== 'pending' || s.unit !== 'workingDays') return s;
    return planning(name(s), () => {
      const counted = countOf(s, before, sentOn);
      const dueAt = localTimeOn(addWorkingDays(counted.from, counted.days, calendarOf(next)), next.sendAt, next.timezone);
      const base = { ...s, countFrom: counted.from, countDays: counted.days };
      return dueAt === s.dueAt ? base : { ...base, dueAt, ...movedBecause(s, because) };
    }, s.index);
  });
  return checkInCalendar(moved, next, (s) => `${name(s)}, re-planned on the new calendar,`);
}
