// When each policy step of one letter is due, and how extensions, pauses and late imports
// move those times. Pure and deterministic: the workflow and the CLI/dashboard share it.
import { addWorkingDays, localDateOf, localTimeOn, workingDaysBetween } from './calendar';
import type { Policy, StepAction } from './policy';

export type StepStatus = 'pending' | 'done' | 'skipped' | 'cancelled';

export interface ScheduledStep {
  index: number;
  action: StepAction;
  /** The policy's unit for this step, kept so shifts move it in the same unit. */
  unit: 'workingDays' | 'duration';
  dueAt: string; // ISO 8601 instant
  status: StepStatus;
  firedAt?: string;
}

export interface Anchor {
  /** The date the letter counts from ('YYYY-MM-DD'): working-day steps are counted from it. */
  sentOn: string;
  /** The instant the letter was sent: plain-duration steps are counted from it. */
  sentAt: string;
}

export function planSteps(policy: Policy, anchor: Anchor): ScheduledStep[] {
  const opts = { closures: policy.closures };
  return policy.steps.map((step, index) => ({
    index,
    action: step.action,
    unit: step.after.unit,
    dueAt:
      step.after.unit === 'workingDays'
        ? localTimeOn(addWorkingDays(anchor.sentOn, step.after.days, opts), policy.sendAt, policy.timezone)
        : new Date(Date.parse(anchor.sentAt) + step.after.ms).toISOString(),
    status: 'pending',
  }));
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
export function shiftPending(steps: ScheduledStep[], policy: Policy, shift: Shift): ScheduledStep[] {
  const opts = { closures: policy.closures };
  return steps.map((s) => {
    if (s.status !== 'pending') return s;
    if (s.unit === 'workingDays') {
      const date = addWorkingDays(localDateOf(s.dueAt, policy.timezone), shift.workingDays, opts);
      return { ...s, dueAt: localTimeOn(date, policy.sendAt, policy.timezone) };
    }
    return { ...s, dueAt: new Date(Date.parse(s.dueAt) + shift.ms).toISOString() };
  });
}

/** The shift that makes the next pending step fall on `until` (a later date). */
export function shiftUntil(next: ScheduledStep, until: string, policy: Policy): Shift {
  const opts = { closures: policy.closures };
  const currentDate = localDateOf(next.dueAt, policy.timezone);
  const newDue = localTimeOn(until, policy.sendAt, policy.timezone);
  return {
    workingDays: workingDaysBetween(currentDate, until, opts),
    ms: Math.max(0, Date.parse(newDue) - Date.parse(next.dueAt)),
  };
}

/** The shift for an extension by N working days (plain-duration steps move N calendar days). */
export function shiftByWorkingDays(n: number): Shift {
  return { workingDays: n, ms: n * 86_400_000 };
}

/** The shift after a pause: the working days (or the time) the clock was stopped. */
export function shiftForPause(pausedAt: string, resumedAt: string, policy: Policy): Shift {
  const opts = { closures: policy.closures };
  return {
    workingDays: workingDaysBetween(localDateOf(pausedAt, policy.timezone), localDateOf(resumedAt, policy.timezone), opts),
    ms: Math.max(0, Date.parse(resumedAt) - Date.parse(pausedAt)),
  };
}
