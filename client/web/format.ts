// How the dashboard writes dates and times: as people write them in the UK ('Tuesday 10
// November 2020', '09:30'), in the office's time zone. The CSV export uses ISO instead.
import { DateTime } from 'luxon';
import { localDateOf } from '../../domain/calendar';
import { DOCUMENT_LABELS, isDocumentKey } from '../../domain/documents';
import { formatLongDate } from '../../domain/email';
import type { StepAction } from '../../domain/policy';

export const DEFAULT_TIMEZONE = 'Europe/London';

/** 'YYYY-MM-DD' → 'Tuesday 10 November 2020'. */
export function longDate(isoDate: string | undefined | null): string {
  return isoDate ? formatLongDate(isoDate) : '';
}

/** An instant → its local date, 'YYYY-MM-DD'. */
export function localIsoDate(instant: string | Date, tz: string): string {
  return localDateOf(typeof instant === 'string' ? instant : instant.getTime(), tz);
}

/** An instant → '09:30' local time. */
export function localTime(instant: string, tz: string): string {
  const d = DateTime.fromISO(instant).setZone(tz);
  return d.isValid ? d.toFormat('HH:mm') : '';
}

/** An instant → 'Tuesday 10 November 2020 at 09:30'. */
export function longDateTime(instant: string | undefined | null, tz: string): string {
  if (!instant) return '';
  const d = DateTime.fromISO(instant);
  if (!d.isValid) return instant;
  return `${longDate(localIsoDate(instant, tz))} at ${localTime(instant, tz)}`;
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
