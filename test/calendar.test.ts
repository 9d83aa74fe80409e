import * as fs from 'fs';
import * as path from 'path';
import {
  CALENDAR_YEARS,
  addWorkingDays,
  bankHoliday,
  bankHolidaysIn,
  isWorkingDay,
  localDateOf,
  localTimeOn,
  nextWorkingDay,
  workingDaysBetween,
} from '../domain/calendar';
import { BANK_HOLIDAYS } from '../domain/calendar/bank-holidays';
import {
  DATE_CORRECTIONS,
  TABLE_PATH,
  computeBankHolidays,
  rawPublicHolidays,
  renderModule,
} from '../scripts/generate-bank-holidays';
import official from './fixtures/bank-holidays-england-and-wales.json';

const LONDON = 'Europe/London';
const SHUTDOWN_2020 = { closures: ['2020-12-29', '2020-12-30', '2020-12-31'] };

function weekdayName(date: string): string {
  return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
    new Date(`${date}T00:00:00Z`).getUTCDay()
  ];
}

describe('the worked example from the design', () => {
  it('a letter dated Tuesday 13 October 2020 is 20 working days old on Tuesday 10 November 2020', () => {
    expect(addWorkingDays('2020-10-13', 20)).toBe('2020-11-10');
    expect(weekdayName('2020-11-10')).toBe('Tuesday');
    expect(workingDaysBetween('2020-10-13', '2020-11-10')).toBe(20);
  });

  it('gives the default policy steps at 20, 30, 40 and 60 working days', () => {
    expect([20, 30, 40, 60].map((n) => addWorkingDays('2020-10-13', n))).toEqual([
      '2020-11-10',
      '2020-11-24',
      '2020-12-08',
      '2021-01-08', // over Christmas: 25 Dec, 28 Dec (substitute) and 1 Jan are skipped
    ]);
  });

  it('fires at 09:30 GMT on 10 November 2020 (the clocks went back on 25 October)', () => {
    expect(localTimeOn(addWorkingDays('2020-10-13', 20), '09:30', LONDON)).toBe('2020-11-10T09:30:00.000Z');
  });
});

describe('addWorkingDays', () => {
  it('counts working days strictly after the date', () => {
    expect(addWorkingDays('2020-10-13', 1)).toBe('2020-10-14');
    expect(addWorkingDays('2020-10-16', 1)).toBe('2020-10-19'); // Friday to Monday
    expect(addWorkingDays('2020-10-13', 5)).toBe('2020-10-20');
  });

  it('returns the date itself for n = 0, even when it is not a working day', () => {
    expect(addWorkingDays('2020-10-13', 0)).toBe('2020-10-13');
    expect(addWorkingDays('2020-10-17', 0)).toBe('2020-10-17'); // Saturday
    expect(addWorkingDays('2020-12-25', 0)).toBe('2020-12-25'); // Christmas Day
  });

  it('starts counting from a weekend or holiday the same way', () => {
    expect(addWorkingDays('2020-10-17', 1)).toBe('2020-10-19'); // Saturday + 1 = Monday
    expect(addWorkingDays('2020-12-25', 1)).toBe('2020-12-29');
  });

  it('skips Christmas 2020: Friday 25 December and Monday 28 December (Boxing Day substitute)', () => {
    expect(addWorkingDays('2020-12-24', 1)).toBe('2020-12-29');
    expect(addWorkingDays('2020-12-23', 2)).toBe('2020-12-29');
    expect(addWorkingDays('2020-12-31', 1)).toBe('2021-01-04'); // New Year's Day on Friday
  });

  it('skips Christmas 2021: Saturday 25 and Sunday 26 December, substitutes on 27 and 28', () => {
    expect(addWorkingDays('2021-12-24', 1)).toBe('2021-12-29');
    expect(addWorkingDays('2021-12-31', 1)).toBe('2022-01-04'); // 3 January 2022: New Year's Day substitute
  });

  it('skips Christmas 2022: Boxing Day Monday 26, Christmas Day substitute Tuesday 27', () => {
    expect(addWorkingDays('2022-12-23', 1)).toBe('2022-12-28');
  });

  it('skips Easter 2021 (Good Friday 2 April, Easter Monday 5 April)', () => {
    expect(addWorkingDays('2021-04-01', 1)).toBe('2021-04-06');
    expect(addWorkingDays('2021-03-31', 2)).toBe('2021-04-06');
  });

  it('skips Easter 2024 (Good Friday 29 March, Easter Monday 1 April)', () => {
    expect(addWorkingDays('2024-03-28', 1)).toBe('2024-04-02');
    expect(addWorkingDays('2024-03-25', 5)).toBe('2024-04-03');
  });

  it('skips the 2022 one-offs: 2-3 June (Spring bank holiday, Platinum Jubilee) and 19 September', () => {
    expect(addWorkingDays('2022-06-01', 1)).toBe('2022-06-06');
    expect(addWorkingDays('2022-09-16', 1)).toBe('2022-09-20');
    expect(addWorkingDays('2022-05-27', 1)).toBe('2022-05-30'); // the usual late-May Monday was a working day
  });

  it('skips the coronation bank holiday on 8 May 2023 and VE day on 8 May 2020', () => {
    expect(addWorkingDays('2023-05-05', 1)).toBe('2023-05-09');
    expect(addWorkingDays('2020-05-07', 1)).toBe('2020-05-11');
    expect(addWorkingDays('2020-05-01', 1)).toBe('2020-05-04'); // the usual Early May Monday was a working day
  });

  it("skips a round's closures", () => {
    expect(addWorkingDays('2020-12-24', 1, SHUTDOWN_2020)).toBe('2021-01-04');
    expect(addWorkingDays('2020-12-18', 5, SHUTDOWN_2020)).toBe('2021-01-04');
    expect(addWorkingDays('2020-12-18', 5)).toBe('2020-12-29');
    expect(addWorkingDays('2020-10-13', 20, { closures: ['2020-11-10'] })).toBe('2020-11-11');
    expect(addWorkingDays('2020-10-13', 20, { closures: [] })).toBe('2020-11-10');
    // a closure on a weekend or bank holiday changes nothing
    expect(addWorkingDays('2020-12-24', 1, { closures: ['2020-12-26', '2020-12-28'] })).toBe('2020-12-29');
  });

  it('reaches the last day of the table and no further', () => {
    expect(addWorkingDays('2035-12-28', 1)).toBe('2035-12-31');
    expect(() => addWorkingDays('2035-12-28', 2)).toThrow(
      'addWorkingDays: 2 working days after 2035-12-28 runs past the end of the England and Wales holiday table (2035-12-31)',
    );
  });

  it('rejects bad input with a specific message', () => {
    expect(() => addWorkingDays('13/10/2020', 20)).toThrow(
      "addWorkingDays: expected a date like 2020-10-13, got '13/10/2020'",
    );
    expect(() => addWorkingDays('2040-01-02', 1)).toThrow(
      'addWorkingDays: the England and Wales holiday table covers 2015 to 2035, got 2040-01-02',
    );
    expect(() => addWorkingDays('2014-12-31', 1)).toThrow('covers 2015 to 2035, got 2014-12-31');
    expect(() => addWorkingDays('2021-02-29', 1)).toThrow("expected a date like 2020-10-13, got '2021-02-29'");
    expect(() => addWorkingDays('2020-10-13 ', 1)).toThrow("got '2020-10-13 '");
    expect(() => addWorkingDays(20201013 as unknown as string, 1)).toThrow('got 20201013');
    for (const n of [-1, 1.5, Number.NaN, Infinity]) {
      expect(() => addWorkingDays('2020-10-13', n)).toThrow(
        `addWorkingDays: expected a whole number of working days (0 or more), got ${n}`,
      );
    }
    expect(() => addWorkingDays('2020-10-13', '20' as unknown as number)).toThrow("got '20'");
    expect(() => addWorkingDays('2020-12-24', 1, { closures: ['29/12/2020'] })).toThrow(
      "addWorkingDays: closures: expected a date like 2020-10-13, got '29/12/2020'",
    );
    expect(() => addWorkingDays('2020-12-24', 1, { closures: '2020-12-29' as unknown as string[] })).toThrow(
      "addWorkingDays: closures: expected a list of dates like 2020-12-29, got '2020-12-29'",
    );
  });

  it('accepts 29 February in a leap year', () => {
    expect(addWorkingDays('2020-02-28', 1)).toBe('2020-03-02');
    expect(addWorkingDays('2020-02-29', 1)).toBe('2020-03-02');
    expect(addWorkingDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  // Speed is the bench's business (machines are noisy); this checks a long sum is right.
  it('sums 300 working days across two Christmases and a shutdown', () => {
    expect(addWorkingDays('2020-10-13', 300, SHUTDOWN_2020)).toBe('2021-12-22');
  });
});

describe('isWorkingDay', () => {
  it('is Monday to Friday except bank holidays and closures', () => {
    expect(isWorkingDay('2020-10-13')).toBe(true);
    expect(isWorkingDay('2020-10-17')).toBe(false); // Saturday
    expect(isWorkingDay('2020-10-18')).toBe(false); // Sunday
    expect(isWorkingDay('2020-12-25')).toBe(false);
    expect(isWorkingDay('2020-12-26')).toBe(false); // Saturday (Boxing Day)
    expect(isWorkingDay('2020-12-28')).toBe(false); // its substitute
    expect(isWorkingDay('2020-12-29')).toBe(true);
    expect(isWorkingDay('2020-12-29', SHUTDOWN_2020)).toBe(false);
    expect(isWorkingDay('2022-09-19')).toBe(false);
    expect(isWorkingDay('2023-05-08')).toBe(false);
    expect(isWorkingDay('2015-01-01')).toBe(false);
    expect(isWorkingDay('2015-01-02')).toBe(true);
    expect(isWorkingDay('2035-12-31')).toBe(true);
  });

  it('rejects dates outside the table', () => {
    expect(() => isWorkingDay('2036-01-01')).toThrow(
      'isWorkingDay: the England and Wales holiday table covers 2015 to 2035, got 2036-01-01',
    );
  });
});

describe('workingDaysBetween', () => {
  it('counts working days in (from, to]', () => {
    expect(workingDaysBetween('2020-10-13', '2020-10-14')).toBe(1);
    expect(workingDaysBetween('2020-10-16', '2020-10-19')).toBe(1); // Fri to Mon
    expect(workingDaysBetween('2020-10-17', '2020-10-18')).toBe(0); // Sat to Sun
    expect(workingDaysBetween('2020-12-18', '2021-01-08')).toBe(12);
    expect(workingDaysBetween('2020-12-18', '2021-01-08', SHUTDOWN_2020)).toBe(9);
    expect(workingDaysBetween('2021-03-31', '2021-04-09')).toBe(5);
    expect(workingDaysBetween('2022-05-31', '2022-06-30')).toBe(20);
    expect(workingDaysBetween('2020-01-01', '2020-12-31')).toBe(254);
  });

  it('is 0 when to is not after from', () => {
    expect(workingDaysBetween('2020-10-13', '2020-10-13')).toBe(0);
    expect(workingDaysBetween('2020-11-10', '2020-10-13')).toBe(0);
  });

  it('rejects bad input', () => {
    expect(() => workingDaysBetween('2020-10-13', '2020-13-01')).toThrow(
      "workingDaysBetween: expected a date like 2020-10-13, got '2020-13-01'",
    );
  });
});

describe('nextWorkingDay', () => {
  it('is the date itself when it is a working day, else the next one', () => {
    expect(nextWorkingDay('2020-10-13')).toBe('2020-10-13');
    expect(nextWorkingDay('2020-10-17')).toBe('2020-10-19');
    expect(nextWorkingDay('2020-12-25')).toBe('2020-12-29');
    expect(nextWorkingDay('2020-12-25', SHUTDOWN_2020)).toBe('2021-01-04');
    expect(nextWorkingDay('2021-12-25')).toBe('2021-12-29');
    expect(nextWorkingDay('2022-06-02')).toBe('2022-06-06');
  });
});

describe('bankHoliday and bankHolidaysIn', () => {
  it('names bank holidays, including substitutes and one-offs', () => {
    expect(bankHoliday('2020-12-25')).toBe('Christmas Day');
    expect(bankHoliday('2020-12-28')).toBe('Boxing Day (substitute day)');
    expect(bankHoliday('2021-12-27')).toBe('Christmas Day (substitute day)');
    expect(bankHoliday('2021-12-28')).toBe('Boxing Day (substitute day)');
    expect(bankHoliday('2022-01-03')).toBe('New Year\u2019s Day (substitute day)');
    expect(bankHoliday('2020-05-08')).toBe('Early May bank holiday (VE day)');
    expect(bankHoliday('2022-06-02')).toBe('Spring bank holiday');
    expect(bankHoliday('2022-06-03')).toBe('Platinum Jubilee bank holiday');
    expect(bankHoliday('2022-09-19')).toBe('Bank Holiday for the State Funeral of Queen Elizabeth II');
    expect(bankHoliday('2023-05-08')).toBe('Bank holiday for the coronation of King Charles III');
    expect(bankHoliday('2024-03-29')).toBe('Good Friday');
    expect(bankHoliday('2024-04-01')).toBe('Easter Monday');
  });

  it('has no entry for a weekend day that a substitute replaces, nor for ordinary days', () => {
    expect(bankHoliday('2020-12-26')).toBeUndefined();
    expect(bankHoliday('2021-12-25')).toBeUndefined();
    expect(bankHoliday('2022-01-01')).toBeUndefined();
    expect(bankHoliday('2020-10-13')).toBeUndefined();
    expect(bankHoliday('2020-05-04')).toBeUndefined();
  });

  it('lists a year in date order', () => {
    expect(bankHolidaysIn(2022)).toEqual([
      { date: '2022-01-03', name: 'New Year\u2019s Day (substitute day)' },
      { date: '2022-04-15', name: 'Good Friday' },
      { date: '2022-04-18', name: 'Easter Monday' },
      { date: '2022-05-02', name: 'Early May bank holiday' },
      { date: '2022-06-02', name: 'Spring bank holiday' },
      { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
      { date: '2022-08-29', name: 'Summer bank holiday' },
      { date: '2022-09-19', name: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
      { date: '2022-12-26', name: 'Boxing Day' },
      { date: '2022-12-27', name: 'Christmas Day (substitute day)' },
    ]);
    expect(bankHolidaysIn(2035).map((h) => h.date)).toEqual([
      '2035-01-01',
      '2035-03-23',
      '2035-03-26',
      '2035-05-07',
      '2035-05-28',
      '2035-08-27',
      '2035-12-25',
      '2035-12-26',
    ]);
  });

  it('has 8 bank holidays a year, plus the one-offs of 2022 and 2023', () => {
    const counts: Record<number, number> = {};
    for (let y = CALENDAR_YEARS.first; y <= CALENDAR_YEARS.last; y++) counts[y] = bankHolidaysIn(y).length;
    for (const [year, count] of Object.entries(counts)) {
      expect([year, count]).toEqual([year, year === '2022' ? 10 : year === '2023' ? 9 : 8]);
    }
  });

  it('returns a copy the caller may change', () => {
    const list = bankHolidaysIn(2020);
    list.pop();
    list[0].name = 'changed';
    expect(bankHolidaysIn(2020)).toHaveLength(8);
    expect(bankHolidaysIn(2020)[0].name).toBe('New Year\u2019s Day');
  });

  it('rejects years outside the table', () => {
    expect(CALENDAR_YEARS).toEqual({ first: 2015, last: 2035 });
    expect(() => bankHolidaysIn(2014)).toThrow(
      'bankHolidaysIn: the England and Wales holiday table covers 2015 to 2035, got 2014',
    );
    expect(() => bankHolidaysIn(2020.5)).toThrow('bankHolidaysIn: expected a year like 2020, got 2020.5');
    expect(() => bankHoliday('2040-01-02')).toThrow(
      'bankHoliday: the England and Wales holiday table covers 2015 to 2035, got 2040-01-02',
    );
  });
});

describe('localTimeOn', () => {
  it('converts a London wall time to UTC, GMT in winter and BST in summer', () => {
    expect(localTimeOn('2020-11-10', '09:30', LONDON)).toBe('2020-11-10T09:30:00.000Z');
    expect(localTimeOn('2021-06-15', '09:30', LONDON)).toBe('2021-06-15T08:30:00.000Z');
    expect(localTimeOn('2020-10-13', '00:00', LONDON)).toBe('2020-10-12T23:00:00.000Z');
    expect(localTimeOn('2020-10-13', '23:59', LONDON)).toBe('2020-10-13T22:59:00.000Z');
    expect(localTimeOn('2020-10-13', '09:30', 'UTC')).toBe('2020-10-13T09:30:00.000Z');
    expect(localTimeOn('2020-10-13', '09:30', 'America/New_York')).toBe('2020-10-13T13:30:00.000Z');
  });

  it('is DST-correct on the day the clocks go back (25 October 2020)', () => {
    expect(localTimeOn('2020-10-24', '09:30', LONDON)).toBe('2020-10-24T08:30:00.000Z');
    expect(localTimeOn('2020-10-25', '09:30', LONDON)).toBe('2020-10-25T09:30:00.000Z');
    expect(localTimeOn('2020-10-25', '00:59', LONDON)).toBe('2020-10-24T23:59:00.000Z');
    // 01:30 happens twice (BST, then GMT): the first occurrence is taken.
    expect(localTimeOn('2020-10-25', '01:30', LONDON)).toBe('2020-10-25T00:30:00.000Z');
    expect(localTimeOn('2020-10-25', '02:00', LONDON)).toBe('2020-10-25T02:00:00.000Z');
  });

  it('is DST-correct on the day the clocks go forward (28 March 2021)', () => {
    expect(localTimeOn('2021-03-27', '09:30', LONDON)).toBe('2021-03-27T09:30:00.000Z');
    expect(localTimeOn('2021-03-28', '09:30', LONDON)).toBe('2021-03-28T08:30:00.000Z');
    expect(localTimeOn('2021-03-28', '00:59', LONDON)).toBe('2021-03-28T00:59:00.000Z');
    // 01:00-01:59 does not exist: the time moves forward by the hour skipped (01:30 -> 02:30 BST).
    expect(localTimeOn('2021-03-28', '01:00', LONDON)).toBe('2021-03-28T01:00:00.000Z');
    expect(localTimeOn('2021-03-28', '01:30', LONDON)).toBe('2021-03-28T01:30:00.000Z');
    expect(localTimeOn('2021-03-28', '02:00', LONDON)).toBe('2021-03-28T01:00:00.000Z');
  });

  it('resolves gaps and overlaps the same way in another zone (New York 2021)', () => {
    expect(localTimeOn('2021-03-14', '02:30', 'America/New_York')).toBe('2021-03-14T07:30:00.000Z');
    expect(localTimeOn('2021-11-07', '01:30', 'America/New_York')).toBe('2021-11-07T05:30:00.000Z');
  });

  it('does not depend on the current time (no clock reads)', () => {
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('the calendar read the clock');
    });
    try {
      expect(localTimeOn('2020-10-25', '01:30', LONDON)).toBe('2020-10-25T00:30:00.000Z');
      expect(localTimeOn('2021-03-28', '01:30', LONDON)).toBe('2021-03-28T01:30:00.000Z');
      expect(localDateOf('2020-10-24T23:30:00.000Z', LONDON)).toBe('2020-10-25');
      expect(addWorkingDays('2020-10-13', 20)).toBe('2020-11-10');
    } finally {
      now.mockRestore();
    }
  });

  it('rejects bad input with a specific message', () => {
    for (const time of ['9:30', '24:00', '09:60', '09:30:00', '']) {
      expect(() => localTimeOn('2020-11-10', time, LONDON)).toThrow(
        `localTimeOn: expected a time like 09:30, got '${time}'`,
      );
    }
    expect(() => localTimeOn('2020-11-10', '09:30', 'Europe/Londn')).toThrow(
      "localTimeOn: unknown time zone 'Europe/Londn' (expected an IANA name such as Europe/London)",
    );
    expect(() => localTimeOn('2020-11-10', '09:30', '')).toThrow("localTimeOn: unknown time zone ''");
    expect(() => localTimeOn('10 Nov 2020', '09:30', LONDON)).toThrow(
      "localTimeOn: expected a date like 2020-10-13, got '10 Nov 2020'",
    );
  });
});

describe('localDateOf', () => {
  it('gives the local calendar date of an instant', () => {
    expect(localDateOf('2020-11-10T09:30:00.000Z', LONDON)).toBe('2020-11-10');
    expect(localDateOf('2020-10-24T23:30:00.000Z', LONDON)).toBe('2020-10-25'); // 00:30 BST
    expect(localDateOf('2020-10-25T23:30:00.000Z', LONDON)).toBe('2020-10-25'); // 23:30 GMT
    expect(localDateOf('2021-06-30T23:00:00Z', LONDON)).toBe('2021-07-01');
    expect(localDateOf('2021-06-30T22:59:59.999Z', LONDON)).toBe('2021-06-30');
    expect(localDateOf('2021-07-01T00:30:00+01:00', LONDON)).toBe('2021-07-01');
    expect(localDateOf('2021-07-01T00:30:00+01:00', 'UTC')).toBe('2021-06-30');
    expect(localDateOf('2021-06-30T20:00-04:00', 'Asia/Tokyo')).toBe('2021-07-01');
    expect(localDateOf(Date.UTC(2020, 9, 24, 23, 30), LONDON)).toBe('2020-10-25');
    expect(localDateOf(-1_800_000, LONDON)).toBe('1970-01-01'); // 23:30Z, but the UK kept GMT+1 all year then
  });

  it('rejects bad input with a specific message', () => {
    const message = (got: string) =>
      `localDateOf: expected an ISO 8601 instant with an offset, like 2020-11-10T09:30:00.000Z, or epoch milliseconds, got ${got}`;
    expect(() => localDateOf('2020-11-10', LONDON)).toThrow(message("'2020-11-10'"));
    expect(() => localDateOf('2020-11-10T09:30', LONDON)).toThrow(message("'2020-11-10T09:30'"));
    expect(() => localDateOf('2020-02-30T09:30Z', LONDON)).toThrow(message("'2020-02-30T09:30Z'"));
    expect(() => localDateOf(Number.NaN, LONDON)).toThrow(message('NaN'));
    expect(() => localDateOf('2020-11-10T09:30Z', 'Mars/Olympus')).toThrow(
      "localDateOf: unknown time zone 'Mars/Olympus'",
    );
  });
});

describe('the bank holiday table', () => {
  const table = BANK_HOLIDAYS.map(([date, name]) => ({ date, name }));

  it('is exactly what scripts/generate-bank-holidays.ts produces from date-holidays now', () => {
    expect(table).toEqual(computeBankHolidays());
    expect(fs.readFileSync(TABLE_PATH, 'utf8')).toBe(renderModule(computeBankHolidays()));
    expect(path.relative(path.resolve(__dirname, '..'), TABLE_PATH)).toBe(path.join('domain', 'calendar', 'bank-holidays.ts'));
  });

  it('comes from date-holidays, where England and Wales agree every year', () => {
    for (let year = CALENDAR_YEARS.first; year <= CALENDAR_YEARS.last; year++) {
      expect(rawPublicHolidays('WLS', year)).toEqual(rawPublicHolidays('ENG', year));
    }
    // date-holidays also lists the weekend days that substitutes replace; the table drops them
    expect(rawPublicHolidays('ENG', 2021).map((h) => h.date)).toEqual(
      expect.arrayContaining(['2021-12-25', '2021-12-26', '2021-12-27', '2021-12-28']),
    );
    expect(table.map((h) => h.date)).not.toContain('2021-12-25');
  });

  it('matches the official GOV.UK list of bank holidays in England and Wales, dates and names', () => {
    const { first, last } = official.years;
    expect([first, last]).toEqual([2015, 2026]);
    const within = table.filter((h) => Number(h.date.slice(0, 4)) >= first && Number(h.date.slice(0, 4)) <= last);
    const expected = official.events.map((e) => ({
      date: e.date,
      name: e.notes === 'Substitute day' ? `${e.title} (substitute day)` : e.title,
    }));
    expect(within).toEqual(expected);
  });

  it('needed no date corrections: date-holidays has the official dates once weekend days are dropped', () => {
    expect(DATE_CORRECTIONS).toEqual([]);
    const raw: string[] = [];
    for (let year = official.years.first; year <= official.years.last; year++) {
      for (const h of rawPublicHolidays('ENG', year)) {
        const day = new Date(`${h.date}T00:00:00Z`).getUTCDay();
        if (day !== 0 && day !== 6) raw.push(h.date);
      }
    }
    expect(raw).toEqual(official.events.map((e) => e.date));
  });

  it('has sorted, unique weekday dates', () => {
    const dates = table.map((h) => h.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates.filter((d) => ['Saturday', 'Sunday'].includes(weekdayName(d)))).toEqual([]);
    expect(dates).toHaveLength(171);
  });

  it('keeps the calendar sandbox-safe: no Node built-ins, clock reads or environment', () => {
    const dir = path.resolve(__dirname, '../domain/calendar');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs
        .readFileSync(path.join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, ''); // code only, not comments
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      // ../text (cleaning values echoed in messages) and ../errors (the error classes) are pure and import nothing.
      expect([file, imports.filter((i) => !i.startsWith('./') && i !== 'luxon' && i !== '../text' && i !== '../errors')]).toEqual([file, []]);
      expect([file, /Date\.now|new Date\(\)|process\.|require\(|DateTime\./.test(source)]).toEqual([file, false]);
    }
    expect(fs.readFileSync(path.resolve(__dirname, '../domain/errors.ts'), 'utf8')).not.toMatch(/^import /m);
  });
});
