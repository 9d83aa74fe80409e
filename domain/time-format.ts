// How people read an instant, in the CLI and the dashboard alike: local time where the office
// is, with the zone's abbreviation so GMT and BST are never confused ('Mon 18 Jan 2027 09:30
// GMT'). JSON and CSV keep ISO 8601; this is only for people. (Not for workflow code: luxon's
// DateTime is fine here, outside the sandbox.)
import { DateTime } from 'luxon';

/** An instant (ISO 8601 or epoch ms) → 'Mon 18 Jan 2027 09:30 GMT' in `timezone`; '' for none, the input itself if it is not a time. */
export function humanTime(instant: string | number | Date | null | undefined, timezone: string): string {
  if (instant === null || instant === undefined || instant === '') return '';
  const d =
    typeof instant === 'string' ? DateTime.fromISO(instant, { setZone: true }) : DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime());
  if (!d.isValid) return String(instant);
  // en-GB gives 'GMT'/'BST' for Europe/London (en-US would say 'GMT+1').
  return d.setZone(timezone).setLocale('en-GB').toFormat('ccc d LLL yyyy HH:mm ZZZZ');
}
