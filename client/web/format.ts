// How the dashboard writes dates and times: as people write them in the UK ('Tuesday 10
// November 2020'; times as the CLI writes them, 'Tue 10 Nov 2020 09:30 GMT'), in the office's
// time zone. The CSV export uses ISO instead.
import { localDateOf } from '../../domain/calendar';
import { DOCUMENT_LABELS, isDocumentKey } from '../../domain/documents';
import { formatLongDate } from '../../domain/email';
import type { StepAction } from '../../domain/policy';
import { humanTime } from '../../domain/time-format';

export const DEFAULT_TIMEZONE = 'Europe/London';

/** 'YYYY-MM-DD' → 'Tuesday 10 November 2020'. */
export function longDate(isoDate: string | undefined | null): string {
  return isoDate ? formatLongDate(isoDate) : '';
}

/** An instant → its local date, 'YYYY-MM-DD'. */
export function localIsoDate(instant: string | Date, tz: string): string {
  return localDateOf(typeof instant === 'string' ? instant : instant.getTime(), tz);
}

/** An instant → 'Tue 10 Nov 2020 09:30 GMT': the one human format, shared with the CLI (domain/time-format.ts). */
export function longDateTime(instant: string | undefined | null, tz: string): string {
  return humanTime(instant, tz);
}

/** Today's date where the office is, 'YYYY-MM-DD' (the default for 'date received'). */
export function todayIn(tz: string, now = new Date()): string {
  return localIsoDate(now, tz);
}

export function documentLabel(key: string): string {
  return isDocumentKey(key) ? DOCUMENT_LABELS[key] : key;
}

export const ACTION_LABELS: Record<StepAction, string> = {
  chase: 'Send a reminder',
  escalate: 'Escalate',
  close: 'Close as unanswered',
};

export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}

/**
 * How a requested document that never came reads, by the letter's state: outstanding while the
 * letter is open (red); once withdrawn, nobody is waiting for it any more (muted).
 */
export function notReceivedLabel(state: string): { text: string; className: string } {
  if (state === 'withdrawn') return { text: 'not received: letter withdrawn', className: 'not-received' };
  if (state === 'unanswered') return { text: 'not received: closed as unanswered', className: 'outstanding' };
  return { text: 'outstanding', className: 'outstanding' };
}
