// The rules for starting a round (domain/start.ts), shared by `rounds check`, `rounds start`
// and the dashboard: every step of every letter is planned on the real calendar before
// anything starts (issue 11, item 2), and one rule for "counts as sent on" (item 7).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { letterInputs } from '../client/letters';
import { UserError } from '../client/errors';
import { loadRoundFolder } from '../client/round-folder';
import { parseIsoDate } from '../domain/calendar';
import { formatIssue, type RoundPlan } from '../domain/round';
import { resolveSentOn } from '../domain/start';
import { SentOnError } from '../domain/errors';

const SMALL = path.join(__dirname, 'fixtures', 'rounds', 'small');
const NOW = new Date('2020-11-02T12:00:00Z');

/** A copy of the small round with round.yaml edited. */
function round(edit: (yaml: string) => string, csv?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-rules-'));
  fs.cpSync(SMALL, dir, { recursive: true });
  const file = path.join(dir, 'round.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  if (csv !== undefined) fs.writeFileSync(path.join(dir, 'recipients.csv'), csv);
  return dir;
}

const workingDayPolicy = (days: number) => (y: string) =>
  y.replace(/policy:[\s\S]*$/, `policy:\n  steps:\n    - { after: 20 working days, action: chase }\n    - { after: ${days} working days, action: close }\n`);

const errors = async (dir: string) => (await loadRoundFolder(dir, NOW)).issues.filter((i) => i.level === 'error').map(formatIssue);

describe('parseIsoDate', () => {
  test.each([
    ['2020-02-29', undefined],
    ['2020-02-30', "'2020-02-30' is not a date (February 2020 has 29 days)"],
    ['2021-02-29', "'2021-02-29' is not a date (February 2021 has 28 days)"],
    ['2021-04-31', "'2021-04-31' is not a date (April 2021 has 30 days)"],
    ['2021-00-10', "'2021-00-10' is not a date (there is no month 00)"],
    ['13/10/2020', "'13/10/2020' is not a date (expected a date like 2020-10-13)"],
    [20201013, "'20201013' is not a date (expected a date like 2020-10-13)"],
    ['x'.repeat(10_000), `'${'x'.repeat(39)}…' is not a date (expected a date like 2020-10-13)`],
  ])('%j', (value, message) => {
    if (message === undefined) expect(parseIsoDate(value)).toBe(value);
    else expect(() => parseIsoDate(value)).toThrow(message);
  });
});

describe('rounds check plans every step of every letter (item 2)', () => {
  test('a step beyond the calendar is refused, naming round.yaml, the step and why', async () => {
    expect(await errors(round(workingDayPolicy(5000)))).toEqual(
      ['alpha', 'beta', 'gamma'].map(
        (l) =>
          `${'round.yaml'}, policy.steps.1: letter ${l}: step 2 (5000 working days: close): 5000 working days after 2020-10-13 runs past the end of the England and Wales holiday table (2035-12-31)`,
      ).map((m) => expect.stringContaining(m.replace('round.yaml, ', ''))),
    );
  });

  test('a sent-on date before the calendar, or before the letter, is refused', async () => {
    const early = await errors(round((y) => workingDayPolicy(60)(y).replace('letterDate: 2020-10-13', 'letterDate: 2014-05-01\nsentOn: 2014-06-02')));
    expect(early[0]).toMatch(/round\.yaml, sentOn: letter alpha: the letter counts as sent on 2014-06-02, outside the working-day calendar \(England and Wales bank holidays, 2015 to 2035\)$/);
    const before = await errors(round((y) => y.replace('letterDate: 2020-10-13', 'letterDate: 2020-10-13\nsentOn: 2020-10-01')));
    expect(before[0]).toMatch(/round\.yaml, sentOn: 2020-10-01 is before the date of letter alpha \(2020-10-13\)/);
  });

  test("a recipients.csv steps column beyond the calendar names its line", async () => {
    const csv = 'letter,email,name,documents,steps\nalpha,a@example.org,Al,problemProfile,20 working days: chase; 9000 working days: close\n';
    expect(await errors(round((y) => y, csv))).toEqual([expect.stringMatching(/recipients\.csv, line 2, steps: letter alpha: step 2 \(9000 working days: close\)/)]);
  });

  test('a plannable round has no errors', async () => {
    expect(await errors(round(workingDayPolicy(60)))).toEqual([]);
  });
});

describe('one rule for "counts as sent on" (item 7)', () => {
  let plan: RoundPlan;
  beforeAll(async () => {
    plan = await loadRoundFolder(SMALL, NOW);
  });
  test.each([
    ['2020-02-30', "'2020-02-30' is not a date (February 2020 has 29 days). Write a date like 2020-10-13, or now."],
    ['yesterday', "'yesterday' is not a date. Write a date like 2020-10-13, or now."],
    ['2099-01-05', '2099-01-05 is in the future. Letters count as sent today or earlier (or now); start the round on the day they go out.'],
    ['2014-06-02', '2014-06-02 is before the date of letter alpha (2020-10-13); a letter cannot count as sent before its date.'],
  ])('%s is refused', (typed, message) => {
    expect(() => resolveSentOn(typed, plan, NOW)).toThrow(new SentOnError(message));
    expect(() => letterInputs(plan, { delivery: 'record-sent', sentOn: typed, now: NOW })).toThrow(new UserError(`--sent-on: ${message}`));
  });

  test("'now' and a past date after the letter's are taken", () => {
    expect(resolveSentOn('now', plan, NOW)).toEqual({ sentOn: '2020-11-02', sentAt: NOW.toISOString() });
    expect(resolveSentOn('2020-10-20', plan, NOW)).toEqual({ sentOn: '2020-10-20', sentAt: '2020-10-20T08:30:00.000Z' });
  });

  test('letterInputs plans with the sent-on given: a working-day step past the calendar is refused', async () => {
    const dir = round((y) => workingDayPolicy(100)(y).replace('letterDate: 2020-10-13', 'letterDate: 2035-10-01'));
    const later = await loadRoundFolder(dir, new Date('2035-12-20T12:00:00Z'));
    expect(later.issues.filter((i) => i.level === 'error').map(formatIssue)[0]).toMatch(/policy\.steps\.1: letter alpha: step 2 \(100 working days: close\)/);
    const ok = await loadRoundFolder(round(workingDayPolicy(100)), NOW);
    expect(ok.issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(() => letterInputs(ok, { delivery: 'record-sent', sentOn: '2035-10-01', now: new Date('2035-12-20T12:00:00Z') })).toThrow(
      /^the letters' steps cannot be planned; nothing was started:\nletter alpha: step 2 \(100 working days: close\)/,
    );
  });
});
