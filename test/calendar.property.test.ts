import fc from 'fast-check';
import {
  addWorkingDays,
  bankHoliday,
  isWorkingDay,
  localDateOf,
  localTimeOn,
  nextWorkingDay,
  workingDaysBetween,
} from '../domain/calendar';
import official from './fixtures/bank-holidays-england-and-wales.json';

const DAY_MS = 86_400_000;
const EPOCH_2015 = Date.UTC(2015, 0, 1);

/** A date 2015-01-01 + offset days, computed with JS Date (independently of the calendar). */
function dateAt(offset: number): string {
  return new Date(EPOCH_2015 + offset * DAY_MS).toISOString().slice(0, 10);
}
function dayIndex(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH_2015) / DAY_MS);
}
function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

// Start dates from 2015-01-01 to 2033-12-31, so 400 working days later is still in the table.
const LAST_START = dayIndex('2033-12-31');
const startDate = fc.integer({ min: 0, max: LAST_START }).map(dateAt);
const workingDayCount = fc.integer({ min: 0, max: 400 });

/** A start date with a few closures in the 90 days after it, where they can matter. */
const startWithClosures = fc
  .tuple(fc.integer({ min: 0, max: LAST_START }), fc.uniqueArray(fc.integer({ min: 0, max: 90 }), { maxLength: 8 }))
  .map(([start, offsets]) => ({
    date: dateAt(start),
    opts: { closures: offsets.map((o) => dateAt(start + o)) },
  }));

const RUNS = { numRuns: 300 };

describe('addWorkingDays properties', () => {
  it('lands on a working day (no weekend, bank holiday or closure) for n >= 1', () => {
    fc.assert(
      fc.property(startWithClosures, fc.integer({ min: 1, max: 400 }), ({ date, opts }, n) => {
        const result = addWorkingDays(date, n, opts);
        expect(isWeekend(result)).toBe(false);
        expect(bankHoliday(result)).toBeUndefined();
        expect(opts.closures).not.toContain(result);
        expect(isWorkingDay(result, opts)).toBe(true);
      }),
      RUNS,
    );
  });

  it('is strictly after the start for n >= 1, and the start itself for n = 0', () => {
    fc.assert(
      fc.property(startWithClosures, fc.integer({ min: 1, max: 400 }), ({ date, opts }, n) => {
        expect(addWorkingDays(date, n, opts) > date).toBe(true);
        expect(addWorkingDays(date, 0, opts)).toBe(date);
      }),
      RUNS,
    );
  });

  it('composes: adding a then b working days is adding a + b', () => {
    fc.assert(
      fc.property(
        startWithClosures,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        ({ date, opts }, a, b) => {
          expect(addWorkingDays(addWorkingDays(date, a, opts), b, opts)).toBe(addWorkingDays(date, a + b, opts));
        },
      ),
      RUNS,
    );
  });

  it('is undone by workingDaysBetween: workingDaysBetween(d, addWorkingDays(d, n)) = n', () => {
    fc.assert(
      fc.property(startWithClosures, workingDayCount, ({ date, opts }, n) => {
        expect(workingDaysBetween(date, addWorkingDays(date, n, opts), opts)).toBe(n);
      }),
      RUNS,
    );
  });

  it('is monotonic: more working days never land earlier, and n + 1 lands later', () => {
    fc.assert(
      fc.property(startDate, fc.integer({ min: 0, max: 399 }), (date, n) => {
        expect(addWorkingDays(date, n + 1) > addWorkingDays(date, n)).toBe(true);
      }),
      RUNS,
    );
  });

  it('agrees with a day-by-day count over the official GOV.UK list (2015-2026)', () => {
    const holidays = new Set(official.events.map((e) => e.date));
    const oracle = (date: string, n: number): string => {
      let i = dayIndex(date);
      for (let left = n; left > 0; ) {
        i += 1;
        const d = dateAt(i);
        if (!isWeekend(d) && !holidays.has(d)) left -= 1;
      }
      return dateAt(i);
    };
    // Starts up to the end of 2024 and n <= 400 keep the result within 2026.
    const start = fc.integer({ min: 0, max: dayIndex('2024-12-31') }).map(dateAt);
    fc.assert(
      fc.property(start, workingDayCount, (date, n) => {
        expect(addWorkingDays(date, n)).toBe(oracle(date, n));
      }),
      { numRuns: 500 },
    );
  });
});

describe('workingDaysBetween and nextWorkingDay properties', () => {
  it('adds up over consecutive periods', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: dayIndex('2035-12-31') }), { minLength: 3, maxLength: 3 }),
        (offsets) => {
          const [a, b, c] = [...offsets].sort((x, y) => x - y).map(dateAt);
          expect(workingDaysBetween(a, b) + workingDaysBetween(b, c)).toBe(workingDaysBetween(a, c));
          expect(workingDaysBetween(c, a)).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('nextWorkingDay is the start if working, else the first working day after it', () => {
    fc.assert(
      fc.property(startWithClosures, ({ date, opts }) => {
        const next = nextWorkingDay(date, opts);
        expect(isWorkingDay(next, opts)).toBe(true);
        if (isWorkingDay(date, opts)) {
          expect(next).toBe(date);
        } else {
          expect(next > date).toBe(true);
          expect(next).toBe(addWorkingDays(date, 1, opts));
        }
      }),
      RUNS,
    );
  });
});

describe('local time properties', () => {
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const zone = fc.constantFrom('Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC');

  it('localTimeOn gives an instant on that local date, and localDateOf gives the date back', () => {
    fc.assert(
      fc.property(startDate, time, zone, (date, t, tz) => {
        const instant = localTimeOn(date, t, tz);
        expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
        expect(localDateOf(instant, tz)).toBe(date);
        expect(localDateOf(Date.parse(instant), tz)).toBe(date);
      }),
      { numRuns: 500 },
    );
  });

  it('09:30 in London is 09:30Z in GMT and 08:30Z in BST', () => {
    fc.assert(
      fc.property(startDate, (date) => {
        const instant = localTimeOn(date, '09:30', 'Europe/London');
        expect([`${date}T09:30:00.000Z`, `${date}T08:30:00.000Z`]).toContain(instant);
        // Intl, independently: the London wall clock at that instant reads 09:30
        const wall = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/London',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(instant));
        expect(wall).toBe('09:30');
      }),
      RUNS,
    );
  });
});
