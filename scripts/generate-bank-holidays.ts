// Generates domain/calendar/bank-holidays.ts: the bank holidays of England and Wales for
// 2015..2035 as a static table, so the calendar needs no data at run time (it runs inside
// Temporal's deterministic workflow sandbox: no fs, no network).
//
//   npx tsx scripts/generate-bank-holidays.ts           rewrite the table
//   npx tsx scripts/generate-bank-holidays.ts --check   exit 1 if the committed table is stale
//
// Source: the `date-holidays` package (country GB; states ENG and WLS must agree), holidays
// of type 'public' only, substitute days and one-off holidays included. The official
// GOV.UK list (test/fixtures/bank-holidays-england-and-wales.json) wins wherever the two
// disagree; every difference is a correction listed below, and test/calendar.test.ts
// checks both that the committed table is what this script produces now and that it
// matches the official list.
import * as fs from 'fs';
import * as path from 'path';
import Holidays from 'date-holidays';

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2035;
export const TABLE_PATH = path.resolve(__dirname, '../domain/calendar/bank-holidays.ts');

export interface BankHolidayRow {
  date: string; // YYYY-MM-DD
  name: string;
}

const SUBSTITUTE = ' (substitute day)';

// Correction 1 (dates): date-holidays lists the nominal day even when it falls on a
// weekend (e.g. Christmas Day, Saturday 2021-12-25) next to its substitute day (Monday
// 2021-12-27). GOV.UK lists only the substitute, which is the bank holiday. Such weekend
// entries are dropped: they were never working days, and bankHoliday('2021-12-25') must
// not claim a bank holiday that the official list does not have.
//
// Correction 2 (names): the official GOV.UK titles replace date-holidays' names. GOV.UK
// marks a substitute day with the note "Substitute day" under the plain title; the table
// keeps date-holidays' " (substitute day)" suffix so the name alone says so.
export const NAME_CORRECTIONS: Readonly<Record<string, string>> = {
  "New Year's Day": 'New Year\u2019s Day',
  'Queen\u2019s Platinum Jubilee': 'Platinum Jubilee bank holiday',
  "Queen Elizabeth's Funeral Day": 'Bank Holiday for the State Funeral of Queen Elizabeth II',
  "King Charles III's Coronation": 'Bank holiday for the coronation of King Charles III',
};

// Correction 3 (dates, none needed today): a holiday the official list has and
// date-holidays lacks (`name`), or one date-holidays has and the official list does not
// (`name: null`), e.g. a newly announced one-off before date-holidays catches up.
export const DATE_CORRECTIONS: readonly { date: string; name: string | null; reason: string }[] = [];

function weekday(date: string): number {
  // 0 = Sunday .. 6 = Saturday; a fixed-offset UTC date is fine in a build script.
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function correctName(name: string): string {
  const base = name.endsWith(SUBSTITUTE) ? name.slice(0, -SUBSTITUTE.length) : name;
  const fixed = NAME_CORRECTIONS[base] ?? base;
  return name.endsWith(SUBSTITUTE) ? fixed + SUBSTITUTE : fixed;
}

/** date-holidays' own 'public' holidays for one GB state, uncorrected. */
export function rawPublicHolidays(state: 'ENG' | 'WLS', year: number): BankHolidayRow[] {
  const hd = new Holidays('GB', state);
  return hd
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
}

/** The table as this script would write it now: date-holidays plus the corrections. */
export function computeBankHolidays(): BankHolidayRow[] {
  const rows: BankHolidayRow[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    const eng = rawPublicHolidays('ENG', year);
    const wls = rawPublicHolidays('WLS', year);
    if (JSON.stringify(eng) !== JSON.stringify(wls)) {
      throw new Error(
        `date-holidays gives England and Wales different bank holidays in ${year}:\n` +
          `ENG ${JSON.stringify(eng)}\nWLS ${JSON.stringify(wls)}`,
      );
    }
    for (const h of eng) {
      const day = weekday(h.date);
      if (day === 0 || day === 6) continue; // correction 1
      rows.push({ date: h.date, name: correctName(h.name) }); // correction 2
    }
  }
  for (const c of DATE_CORRECTIONS) {
    const at = rows.findIndex((r) => r.date === c.date);
    if (at >= 0) rows.splice(at, 1);
    if (c.name !== null) rows.push({ date: c.date, name: c.name });
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].date === rows[i - 1].date) throw new Error(`two bank holidays on ${rows[i].date}`);
  }
  return rows;
}

export function dateHolidaysVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('date-holidays/package.json') as { version: string }).version;
}

export function renderModule(rows: readonly BankHolidayRow[]): string {
  const lines = rows.map((r) => `  [${JSON.stringify(r.date)}, ${JSON.stringify(r.name)}],`);
  return [
    '// GENERATED by scripts/generate-bank-holidays.ts: do not edit by hand.',
    `// Source: date-holidays ${dateHolidaysVersion()}, GB/ENG (= GB/WLS), type 'public', with the`,
    '// corrections documented in that script (the official GOV.UK list wins).',
    '// Regenerate: npx tsx scripts/generate-bank-holidays.ts',
    '',
    `export const BANK_HOLIDAY_YEARS = { first: ${FIRST_YEAR}, last: ${LAST_YEAR} } as const;`,
    '',
    '/** [date, name], sorted by date; weekday dates only (substitute days, not the weekend days they replace). */',
    'export const BANK_HOLIDAYS: readonly (readonly [date: string, name: string])[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

function main(argv: string[]): void {
  const text = renderModule(computeBankHolidays());
  if (argv.includes('--check')) {
    const current = fs.existsSync(TABLE_PATH) ? fs.readFileSync(TABLE_PATH, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${path.relative(process.cwd(), TABLE_PATH)} is stale: run npx tsx scripts/generate-bank-holidays.ts\n`);
      process.exitCode = 1;
    }
    return;
  }
  fs.writeFileSync(TABLE_PATH, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), TABLE_PATH)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
