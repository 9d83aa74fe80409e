// Working-day arithmetic for England and Wales.
//
// Imported inside Temporal workflow code, so it must stay deterministic: no fs, network,
// environment or Node built-ins, and no clock reads. Calendar dates are plain day numbers
// (days since 1970-01-01, proleptic Gregorian) computed by integer arithmetic, and the
// bank holidays come from a static generated table. Time zones use luxon's IANAZone,
// whose offset(ts) is a pure function of the instant (via Intl); luxon's DateTime
// constructors are avoided because they read the clock (Settings.now()).
import { IANAZone } from 'luxon';
import { echoText } from '../text';
import { BANK_HOLIDAYS, BANK_HOLIDAY_YEARS } from './bank-holidays';
import { CalendarError } from '../errors';

export type IsoDate = string; // 'YYYY-MM-DD'

export interface CalendarOptions {
  /** Extra non-working dates for a round, e.g. an office shutdown. */
  closures?: readonly IsoDate[];
  /**
   * The bank holidays to use instead of the built-in table ([date, name] pairs): a letter keeps
   * the table it was planned with, so a worker with a regenerated table does not move its dates.
   */
  holidays?: readonly (readonly [IsoDate, string])[];
}

/** The years the bank holiday table covers; working-day functions reject dates outside them. */
export const CALENDAR_YEARS: { readonly first: number; readonly last: number } = Object.freeze({
  first: BANK_HOLIDAY_YEARS.first,
  last: BANK_HOLIDAY_YEARS.last,
});

// ---- day numbers ------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;

// Howard Hinnant's days_from_civil / civil_from_days.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDay(days: number): IsoDate {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
function weekdayOf(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

const FIRST_DAY = daysFromCivil(CALENDAR_YEARS.first, 1, 1);
const LAST_DAY = daysFromCivil(CALENDAR_YEARS.last, 12, 31);

// ---- input checking ---------------------------------------------------------------

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A valid calendar date as a day number, any year 0000..9999. */
function parseDate(fn: string, value: unknown, what = ''): number {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
      const days = daysFromCivil(y, mo, d);
      if (formatDay(days) === value) return days; // rejects 2021-02-30 and the like
    }
  }
  throw new CalendarError(`${fn}: ${what}expected a date like 2020-10-13, got ${show(value)}`);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The one check for a date typed by a person or read from a file: 'YYYY-MM-DD' and a day
 * that exists (2020-02-30 and 2021-02-29 do not). Returns the date; throws a CalendarError
 * whose message is `'<value>' is not a date (...)`, for the caller to prefix with the field.
 */
export function parseIsoDate(value: unknown): IsoDate {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (!m) throw new CalendarError(`${quoted(value)} is not a date (expected a date like 2020-10-13)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) throw new CalendarError(`${quoted(value)} is not a date (there is no month ${m[2]})`);
  const length = daysFromCivil(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1) - daysFromCivil(y, mo, 1);
  if (d < 1 || d > length) throw new CalendarError(`${quoted(value)} is not a date (${MONTHS[mo - 1]} ${m[1]} has ${length} days)`);
  return value as IsoDate;
}

/** True for a real date 'YYYY-MM-DD' (see parseIsoDate). */
export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** True for a real date inside the years of the bank holiday table (where working days can be counted). */
export function isInCalendar(date: IsoDate): boolean {
  return isIsoDate(date) && date >= `${CALENDAR_YEARS.first}-01-01` && date <= `${CALENDAR_YEARS.last}-12-31`;
}

function quoted(value: unknown): string {
  return `'${echoText(value, 40)}'`;
}

function tableRangeError(fn: string, got: string): Error {
  return new CalendarError(
    `${fn}: the England and Wales holiday table covers ${CALENDAR_YEARS.first} to ${CALENDAR_YEARS.last}, got ${got}`,
  );
}

/** A date inside the bank holiday table's years, as a day number. */
function parseTableDate(fn: string, value: unknown): number {
  const days = parseDate(fn, value);
  if (days < FIRST_DAY || days > LAST_DAY) throw tableRangeError(fn, value as string);
  return days;
}

interface Days {
  closures?: ReadonlySet<number>;
  holidays: ReadonlyMap<number, string>;
}

const holidaySets = new WeakMap<object, ReadonlyMap<number, string>>();

/** The non-working days of `opts`: its closures, and its own holidays or else the table's. */
function parseDays(fn: string, opts: CalendarOptions | undefined): Days {
  const closures = parseClosures(fn, opts);
  const own = opts?.holidays;
  if (own === undefined) return { closures, holidays: HOLIDAY_NAMES };
  if (!Array.isArray(own)) throw new CalendarError(`${fn}: holidays: expected a list of [date, name] pairs, got ${show(own)}`);
  let holidays = holidaySets.get(own);
  if (!holidays) {
    const map = new Map<number, string>();
    for (const h of own) {
      if (!Array.isArray(h) || typeof h[1] !== 'string') throw new CalendarError(`${fn}: holidays: expected [date, name] pairs, got ${show(h)}`);
      map.set(parseDate(fn, h[0], 'holidays: '), h[1]);
    }
    holidaySets.set(own, map);
    holidays = map;
  }
  return { closures, holidays };
}

function parseClosures(fn: string, opts: CalendarOptions | undefined): ReadonlySet<number> | undefined {
  if (opts === undefined || opts === null) return undefined;
  if (typeof opts !== 'object') throw new CalendarError(`${fn}: expected options like { closures: ['2020-12-29'] }, got ${show(opts)}`);
  const closures = opts.closures;
  if (closures === undefined) return undefined;
  if (!Array.isArray(closures)) {
    throw new CalendarError(`${fn}: closures: expected a list of dates like 2020-12-29, got ${show(closures)}`);
  }
  if (closures.length === 0) return undefined;
  const set = new Set<number>();
  for (const c of closures) set.add(parseDate(fn, c, 'closures: '));
  return set;
}

// ---- the bank holiday table -------------------------------------------------------

const HOLIDAY_NAMES = new Map<number, string>();
const HOLIDAYS_BY_YEAR = new Map<number, readonly { readonly date: IsoDate; readonly name: string }[]>();
for (const [date, name] of BANK_HOLIDAYS) {
  HOLIDAY_NAMES.set(parseDate('bank-holidays table', date), name);
  const year = Number(date.slice(0, 4));
  const list = (HOLIDAYS_BY_YEAR.get(year) ?? []) as { date: IsoDate; name: string }[];
  list.push({ date, name });
  HOLIDAYS_BY_YEAR.set(year, list);
}

function isWorking(days: number, cal: Days): boolean {
  return weekdayOf(days) < 5 && !cal.holidays.has(days) && !(cal.closures !== undefined && cal.closures.has(days));
}

// ---- working days -----------------------------------------------------------------

/** Monday to Friday, not a bank holiday of England and Wales, not one of `closures`. */
export function isWorkingDay(date: IsoDate, opts?: CalendarOptions): boolean {
  const fn = 'isWorkingDay';
  const days = parseTableDate(fn, date);
  return isWorking(days, parseDays(fn, opts));
}

/**
 * The n-th working day strictly after `date` (n = 0 gives `date` itself, working day or
 * not). A letter dated Tuesday 2020-10-13 is 20 working days old on 2020-11-10.
 */
export function addWorkingDays(date: IsoDate, n: number, opts?: CalendarOptions): IsoDate {
  const fn = 'addWorkingDays';
  let days = parseTableDate(fn, date);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new CalendarError(`${fn}: expected a whole number of working days (0 or more), got ${show(n)}`);
  }
  const closures = parseDays(fn, opts);
  let left = n;
  while (left > 0) {
    days += 1;
    if (days > LAST_DAY) {
      throw new CalendarError(
        `${fn}: ${n} working days after ${date} runs past the end of the England and Wales holiday table (${CALENDAR_YEARS.last}-12-31)`,
      );
    }
    if (isWorking(days, closures)) left -= 1;
  }
  return formatDay(days);
}

/** How many working days fall in (from, to]; 0 when `to` is not after `from`. */
export function workingDaysBetween(from: IsoDate, to: IsoDate, opts?: CalendarOptions): number {
  const fn = 'workingDaysBetween';
  const start = parseTableDate(fn, from);
  const end = parseTableDate(fn, to);
  const closures = parseDays(fn, opts);
  let count = 0;
  for (let days = start + 1; days <= end; days++) if (isWorking(days, closures)) count++;
  return count;
}

/** The weekdays in (from, to] that are not working days: each bank holiday (named) or closure. */
export function weekdaysOff(from: IsoDate, to: IsoDate, opts?: CalendarOptions): { date: IsoDate; holiday?: string; closure: boolean }[] {
  const fn = 'weekdaysOff';
  const start = parseTableDate(fn, from);
  const end = parseTableDate(fn, to);
  const cal = parseDays(fn, opts);
  const off: { date: IsoDate; holiday?: string; closure: boolean }[] = [];
  for (let days = start + 1; days <= end; days++) {
    if (weekdayOf(days) >= 5 || isWorking(days, cal)) continue;
    const holiday = cal.holidays.get(days);
    off.push({ date: formatDay(days), ...(holiday ? { holiday } : {}), closure: cal.closures?.has(days) ?? false });
  }
  return off;
}

/** `date` itself if it is a working day, otherwise the first working day after it. */
export function nextWorkingDay(date: IsoDate, opts?: CalendarOptions): IsoDate {
  const fn = 'nextWorkingDay';
  let days = parseTableDate(fn, date);
  const closures = parseDays(fn, opts);
  while (!isWorking(days, closures)) {
    days += 1;
    if (days > LAST_DAY) {
      throw new CalendarError(
        `${fn}: no working day after ${date} within the England and Wales holiday table (to ${CALENDAR_YEARS.last}-12-31)`,
      );
    }
  }
  return formatDay(days);
}

/** The bank holiday's name, e.g. 'Boxing Day (substitute day)', or undefined (from `opts.holidays` when given). */
export function bankHoliday(date: IsoDate, opts?: CalendarOptions): string | undefined {
  const fn = 'bankHoliday';
  return parseDays(fn, opts).holidays.get(parseTableDate(fn, date));
}

/** The table's bank holidays from `fromYear` to its last year: what a letter keeps (CalendarOptions.holidays). */
export function holidayTableFrom(fromYear: number): [IsoDate, string][] {
  return BANK_HOLIDAYS.filter(([d]) => Number(d.slice(0, 4)) >= fromYear).map(([d, n]) => [d, n]);
}

/** The bank holidays of England and Wales in `year`, in date order (a fresh copy). */
export function bankHolidaysIn(year: number): { date: IsoDate; name: string }[] {
  const fn = 'bankHolidaysIn';
  if (typeof year !== 'number' || !Number.isInteger(year)) {
    throw new CalendarError(`${fn}: expected a year like 2020, got ${show(year)}`);
  }
  if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) throw tableRangeError(fn, String(year));
  return (HOLIDAYS_BY_YEAR.get(year) ?? []).map((h) => ({ date: h.date, name: h.name }));
}

// ---- local times ------------------------------------------------------------------

const TIME_RE = /^(\d{2}):(\d{2})$/;

// Zones already checked. IANAZone.isValidZone builds an Intl.DateTimeFormat on every call
// (~0.4 ms): planning 2,000 letters before a start spent 3 s in it. A pure memo, so still
// deterministic inside a workflow.
const ZONES = new Map<string, IANAZone>();

function zoneOf(fn: string, timezone: unknown): IANAZone {
  const known = typeof timezone === 'string' ? ZONES.get(timezone) : undefined;
  if (known) return known;
  if (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone)) {
    throw new CalendarError(`${fn}: unknown time zone ${show(timezone)} (expected an IANA name such as Europe/London)`);
  }
  const zone = IANAZone.create(timezone);
  ZONES.set(timezone, zone);
  return zone;
}

/**
 * The UTC instant ('YYYY-MM-DDTHH:MM:SS.sssZ') at which the wall clock in `timezone`
 * shows `time` on `date`: localTimeOn('2020-11-10', '09:30', 'Europe/London') is
 * '2020-11-10T09:30:00.000Z' (GMT), and on a June date it is 08:30Z (BST).
 *
 * Around a clock change the wall time may not exist or may happen twice. This resolves
 * both deterministically, as java.time and JS Temporal's 'compatible' mode do:
 * - a time in the spring-forward gap moves forward by the length of the gap
 *   (01:30 on 2021-03-28 in London is 02:30 BST = 01:30Z);
 * - a time in the autumn overlap takes its first (earlier) occurrence
 *   (01:30 on 2020-10-25 in London is 01:30 BST = 00:30Z, not 01:30 GMT = 01:30Z).
 * (luxon's DateTime.fromObject would agree on the gap but, for the overlap, pick by the
 * offset in force at the moment it runs, which is why it is not used here.)
 */
export function localTimeOn(date: IsoDate, time: string, timezone: string): string {
  const fn = 'localTimeOn';
  const days = parseDate(fn, date);
  const t = typeof time === 'string' ? TIME_RE.exec(time) : null;
  const hour = t ? Number(t[1]) : NaN;
  const minute = t ? Number(t[2]) : NaN;
  if (!(hour <= 23 && minute <= 59)) throw new CalendarError(`${fn}: expected a time like 09:30, got ${show(time)}`);
  const zone = zoneOf(fn, timezone);

  const wall = days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000; // the wall time read as if UTC
  // Offsets are under a day, so the offsets in force a day either side are the
  // candidates for this wall time (they differ when a clock change is near).
  const before = zone.offset(wall - MS_PER_DAY);
  const after = zone.offset(wall + MS_PER_DAY);
  let best: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wall - offset * 60_000;
    if (zone.offset(instant) === offset && (best === undefined || instant < best)) best = instant;
  }
  // No candidate: the wall time is in a gap; read it with the offset before the change.
  const instant = best ?? wall - before * 60_000;
  return new Date(instant).toISOString();
}

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;
const MAX_MS = 8.64e15; // the range of a JS Date

function parseInstant(fn: string, instant: unknown): number {
  if (typeof instant === 'number') {
    if (Number.isFinite(instant) && Math.abs(instant) <= MAX_MS) return instant;
  } else if (typeof instant === 'string') {
    const m = INSTANT_RE.exec(instant);
    if (m) {
      const [, y, mo, d, h, mi, s = '0', frac = '', z, sign, oh = '0', om = '0'] = m;
      let days: number | undefined;
      try {
        days = parseDate(fn, `${y}-${mo}-${d}`);
      } catch {
        days = undefined;
      }
      const hour = Number(h);
      const minute = Number(mi);
      const second = Number(s);
      const offsetMinutes = z.toUpperCase() === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
      if (days !== undefined && hour <= 23 && minute <= 59 && second <= 59 && Number(om) <= 59) {
        const ms = Number(frac.padEnd(3, '0').slice(0, 3));
        return days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMinutes * 60_000;
      }
    }
  }
  throw new CalendarError(
    `${fn}: expected an ISO 8601 instant with an offset, like 2020-11-10T09:30:00.000Z, or epoch milliseconds, got ${show(instant)}`,
  );
}

/** The calendar date in `timezone` at `instant` (ISO 8601 with Z or an offset, or epoch ms). */
export function localDateOf(instant: string | number, timezone: string): IsoDate {
  const fn = 'localDateOf';
  const ms = parseInstant(fn, instant);
  const zone = zoneOf(fn, timezone);
  const local = ms + zone.offset(ms) * 60_000;
  return formatDay(Math.floor(local / MS_PER_DAY));
}
