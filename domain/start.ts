// The rules for starting a round, shared by `rounds check`, `rounds start` and the
// dashboard's start page: when the letters count as sent, and whether every step of every
// letter can be planned on the real calendar before anything starts.
import { localDateOf, localTimeOn, parseIsoDate } from './calendar';
import { echoText } from './text';
import type { RoundIssue, RoundPlan } from './round';
import { planSteps, type ScheduledStep } from './schedule';
import type { LetterInput } from './types';
import { CalendarError, ScheduleError, SentOnError } from './errors';

const WRITE = 'Write a date like 2020-10-13, or now.';

/** The dates the letters count as sent on when nothing else is said: round.yaml's sentOn, or each letter's own date. */
export function defaultSentOn(plan: RoundPlan): string[] {
  if (!plan.round) return [];
  if (plan.round.sentOn) return [plan.round.sentOn];
  return [...new Set(plan.letters.map((l) => l.letterDate).filter(Boolean))].sort();
}

/**
 * A typed "counts as sent on" (`rounds start --sent-on`, the start page's field): 'now', or a
 * real date that is neither in the future nor before any letter's own date. Returns the date
 * the working-day steps count from and the instant plain-duration steps count from.
 */
export function resolveSentOn(typed: string, plan: RoundPlan, now: Date): { sentOn: string; sentAt: string } {
  const { timezone, sendAt } = plan.round.policy;
  const today = localDateOf(now.getTime(), timezone);
  let sentOn: string;
  let sentAt: string;
  if (typed.trim().toLowerCase() === 'now') {
    sentOn = today;
    sentAt = now.toISOString();
  } else {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(typed)) throw new SentOnError(`'${echoText(typed)}' is not a date. ${WRITE}`);
    try {
      sentOn = parseIsoDate(typed);
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      throw new SentOnError(`${err.message}. ${WRITE}`);
    }
    if (sentOn > today) {
      throw new SentOnError(`${sentOn} is in the future. Letters count as sent today or earlier (or now); start the round on the day they go out.`);
    }
    sentAt = localTimeOn(sentOn, sendAt, timezone);
  }
  const early = plan.letters.find((l) => l.letterDate && sentOn < l.letterDate);
  if (early) throw new SentOnError(`${sentOn} is before the date of letter ${early.letterId} (${early.letterDate}); a letter cannot count as sent before its date.`);
  return { sentOn, sentAt };
}

/** Plans every step of one letter as its workflow will (sentAt defaults to `now`, the workflow's start). */
export function planLetter(input: Pick<LetterInput, 'policy' | 'sentOn' | 'sentAt'>, now: Date): ScheduledStep[] {
  return planSteps(input.policy, { sentOn: input.sentOn, sentAt: input.sentAt ?? now.toISOString() });
}

/**
 * Plans every letter of a round as `rounds start` without --sent-on would start it, and says
 * where each problem comes from: a sent-on date before a letter's date, a sent-on date outside
 * the calendar, a step that falls beyond it.
 */
export function scheduleIssues(plan: RoundPlan, now: Date, yamlFile = 'round.yaml', csvFile = 'recipients.csv'): RoundIssue[] {
  const issues: RoundIssue[] = [];
  const round = plan.round;
  for (const l of plan.letters) {
    if (!l.letterDate) continue; // already an error of its own
    const sentOn = round.sentOn ?? l.letterDate;
    const fromCsv = l.sources.steps?.startsWith(csvFile) ? l.sources.steps : undefined;
    if (round.sentOn && round.sentOn < l.letterDate) {
      issues.push({ level: 'error', file: yamlFile, field: 'sentOn', letterId: l.letterId, message: `${round.sentOn} is before the date of letter ${l.letterId} (${l.letterDate}); a letter cannot count as sent before its date` });
      continue;
    }
    try {
      planLetter({ policy: l.policy, sentOn }, now);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      const message = `letter ${l.letterId}: ${err.message}`;
      if (err.step === undefined) {
        const field = round.sentOn ? 'sentOn' : 'letterDate';
        const source = round.sentOn ? yamlFile : (l.sources.letterDate ?? yamlFile);
        issues.push({ level: 'error', file: source, field, letterId: l.letterId, message });
      } else if (fromCsv) {
        const line = Number(/line (\d+)/.exec(fromCsv)?.[1]);
        issues.push({ level: 'error', file: csvFile, line: Number.isFinite(line) ? line : undefined, field: 'steps', letterId: l.letterId, message });
      } else {
        issues.push({ level: 'error', file: yamlFile, field: `policy.steps.${err.step}`, letterId: l.letterId, message });
      }
    }
  }
  return issues;
}
