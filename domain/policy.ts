// A round's chase policy: when to chase, escalate and close, counted from the letter.
// Pure: parsed from round.yaml / recipients.csv by the client, carried into the workflow
// as plain data, and scheduled by domain/schedule.ts on both sides.
import { parseIsoDate } from './calendar';
import { echo } from './text';
import { CalendarError, PolicyError } from './errors';

export const STEP_ACTIONS = ['chase', 'escalate', 'close'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

/** How long after the letter a step is due: working days (the real policy) or a plain duration (demos, tests). */
export type After = { unit: 'workingDays'; days: number } | { unit: 'duration'; ms: number };

export interface PolicyStep {
  after: After;
  action: StepAction;
}

export interface Policy {
  steps: PolicyStep[];
  /** Local wall time at which working-day steps happen, 'HH:MM'. */
  sendAt: string;
  timezone: string;
  /** Extra non-working days for this round (e.g. an office shutdown), 'YYYY-MM-DD'. */
  closures: string[];
  /** After a genuine reply: 'hold' chases until staff have triaged it (the default), or 'continue'. */
  afterReply?: 'hold' | 'continue';
  /**
   * The bank holidays this letter counts with ([date, name]), kept from the table in force when
   * it was started: a worker with a regenerated table does not move its dates (see README,
   * "How deadlines are worked out"). Absent: the worker's table.
   */
  holidays?: [string, string][];
  /**
   * How long a finished letter (complete, declined, unanswered) stays open for publication
   * updates after it ends and after each publication update (issue 14). Absent: 40 working days;
   * 0 working days: none (the workflow completes when the letter ends, as before).
   */
  publicationWindow?: After;
}

/** The publication window when the policy says nothing (see Policy.publicationWindow). */
export const DEFAULT_PUBLICATION_WINDOW: After = { unit: 'workingDays', days: 40 };

const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

const AFTER_EXAMPLES = "expected e.g. '20 working days' or '2 minutes'";

/** Parses '20 working days', '90 seconds', '2 weeks', '1 hour'. */
export function parseAfter(text: unknown, field = 'after'): After {
  if (typeof text !== 'string') {
    throw new PolicyError(field, `${AFTER_EXAMPLES}, got ${JSON.stringify(text) ?? String(text)}`);
  }
  const m = /^\s*(\d{1,6})\s+(working\s+days?|seconds?|minutes?|hours?|days?|weeks?)\s*$/i.exec(text);
  if (!m) throw new PolicyError(field, `${AFTER_EXAMPLES}, got '${text}'`);
  const n = Number(m[1]);
  const unit = m[2].toLowerCase().replace(/\s+/g, ' ');
  if (unit.startsWith('working')) return { unit: 'workingDays', days: n };
  const single = unit.replace(/s$/, '');
  if (n === 0) throw new PolicyError(field, `a step must be after a positive time, got '${text}'`);
  return { unit: 'duration', ms: n * UNIT_MS[single] };
}

export function formatAfter(after: After): string {
  if (after.unit === 'workingDays') return `${after.days} working day${after.days === 1 ? '' : 's'}`;
  for (const unit of ['week', 'day', 'hour', 'minute', 'second']) {
    const size = UNIT_MS[unit];
    if (after.ms % size === 0) {
      const n = after.ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${after.ms} ms`;
}

export const DEFAULT_POLICY: Policy = {
  steps: [
    { after: { unit: 'workingDays', days: 20 }, action: 'chase' },
    { after: { unit: 'workingDays', days: 30 }, action: 'chase' },
    { after: { unit: 'workingDays', days: 40 }, action: 'escalate' },
    { after: { unit: 'workingDays', days: 60 }, action: 'close' },
  ],
  sendAt: '09:30',
  timezone: 'Europe/London',
  closures: [],
};

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A policy is a handful of steps and closures; these bound what a letter carries. */
export const MAX_STEPS = 20;
export const MAX_CLOSURES = 400;

/**
 * Builds a policy from the raw `policy:` object of round.yaml (or a per-letter override),
 * on top of `base`. Every error names the field, what was expected and what was found.
 */
export function parsePolicy(raw: unknown, base: Policy = DEFAULT_POLICY, where = 'policy'): Policy {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PolicyError(where, `expected a mapping with steps, sendAt, timezone, closures; got ${JSON.stringify(raw)}`);
  }
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['steps', 'sendAt', 'timezone', 'closures', 'publicationWindow'].includes(key)) {
      throw new PolicyError(`${where}.${key}`, 'unknown setting (expected steps, sendAt, timezone, closures or publicationWindow)');
    }
  }
  const policy: Policy = { ...base, steps: base.steps, closures: base.closures };
  if (r.steps !== undefined) policy.steps = parseSteps(r.steps, `${where}.steps`);
  if (r.sendAt !== undefined) {
    if (typeof r.sendAt !== 'string' || !TIME_RE.test(r.sendAt)) {
      throw new PolicyError(`${where}.sendAt`, `expected a 24-hour time like '09:30', got ${JSON.stringify(r.sendAt)}`);
    }
    policy.sendAt = r.sendAt;
  }
  if (r.timezone !== undefined) {
    if (typeof r.timezone !== 'string' || !isValidTimeZone(r.timezone)) {
      throw new PolicyError(`${where}.timezone`, `expected an IANA time zone like 'Europe/London', got ${JSON.stringify(r.timezone)}`);
    }
    policy.timezone = r.timezone;
  }
  if (r.closures !== undefined) {
    if (!Array.isArray(r.closures)) {
      throw new PolicyError(`${where}.closures`, `expected a list of dates like 2020-12-29, got ${echo(r.closures)}`);
    }
    if (r.closures.length > MAX_CLOSURES) throw new PolicyError(`${where}.closures`, `at most ${MAX_CLOSURES} dates, got ${r.closures.length}`);
    policy.closures = r.closures.map((d, i) => {
      const s = d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : d;
      try {
        return parseIsoDate(s);
      } catch (err) {
        if (!(err instanceof CalendarError)) throw err;
        throw new PolicyError(`${where}.closures[${i}]`, err.message);
      }
    });
  }
  if (r.publicationWindow !== undefined) policy.publicationWindow = parseAfter(r.publicationWindow, `${where}.publicationWindow`);
  return policy;
}

export function parseSteps(raw: unknown, where: string): PolicyStep[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new PolicyError(where, `expected a non-empty list like [{ after: 20 working days, action: chase }], got ${echo(raw)}`);
  }
  if (raw.length > MAX_STEPS) throw new PolicyError(where, `at most ${MAX_STEPS} steps, got ${raw.length}`);
  const steps = raw.map((s, i): PolicyStep => {
    const field = `${where}[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      throw new PolicyError(field, `expected { after: ..., action: ... }, got ${JSON.stringify(s)}`);
    }
    const step = s as Record<string, unknown>;
    for (const key of Object.keys(step)) {
      if (key !== 'after' && key !== 'action') throw new PolicyError(`${field}.${key}`, 'unknown key (expected after and action)');
    }
    const after = parseAfter(step.after, `${field}.after`);
    if (typeof step.action !== 'string' || !(STEP_ACTIONS as readonly string[]).includes(step.action)) {
      throw new PolicyError(`${field}.action`, `expected one of ${STEP_ACTIONS.join(', ')}, got ${JSON.stringify(step.action)}`);
    }
    return { after, action: step.action as StepAction };
  });
  steps.forEach((step, i) => {
    if (step.action === 'close' && i !== steps.length - 1) {
      throw new PolicyError(`${where}[${i}].action`, 'close must be the last step');
    }
    if (i > 0) {
      const prev = steps[i - 1].after;
      if (prev.unit === step.after.unit && afterSize(prev) >= afterSize(step.after)) {
        throw new PolicyError(`${where}[${i}].after`, `steps must be in order: '${formatAfter(step.after)}' is not after '${formatAfter(prev)}'`);
      }
    }
  });
  // Otherwise a letter would wait after its last chase with no next step, forgotten.
  const last = steps[steps.length - 1];
  if (last.action !== 'close') {
    throw new PolicyError(`${where}[${steps.length - 1}].action`, `the last step must be close (closing the letter as unanswered), got '${last.action}'`);
  }
  return steps;
}

function afterSize(a: After): number {
  return a.unit === 'workingDays' ? a.days : a.ms;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
