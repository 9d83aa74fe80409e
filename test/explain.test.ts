// Issue 16, item 1 (and the pure half of item 2): every date explains itself, worked out by hand.
import { holidayTableFrom } from '../domain/calendar';
import { renderFollowUp } from '../domain/email';
import { Letter } from '../domain/letter';
import { DEFAULT_POLICY } from '../domain/policy';
import { letterInput } from './support/temporal';

const letterOn = (date: string, policy = DEFAULT_POLICY) => new Letter(letterInput({ policy, letterDate: date, sentOn: date }), `${date}T10:00:00.000Z`);

describe('explanations', () => {
  test('Christmas 2020: 20 working days from Tuesday 1 December skip Christmas Day and the Boxing Day substitute', () => {
    // Dec 2-4 (3), 7-11 (8), 14-18 (13), 21-24 (17), [25 Christmas, 28 Boxing Day substitute], 29-31 (20).
    const [chase] = letterOn('2020-12-01').explanations();
    expect(chase).toMatchObject({
      on: '2020-12-31',
      base: { date: '2020-12-01', why: "the letter's date" },
      workingDays: 20,
      time: '09:30',
      offset: 'GMT',
      skipped: [
        { date: '2020-12-25', label: 'Friday 25 December 2020, Christmas Day' },
        { date: '2020-12-28', label: 'Monday 28 December 2020, Boxing Day (substitute day)' },
      ],
    });
    expect(chase.text).toBe(
      "chase (step 1): 20 working days after Tuesday 1 December 2020 (the letter's date), so Thursday 31 December 2020, at 09:30 GMT. " +
        'Not counted besides weekends: Friday 25 December 2020, Christmas Day; Monday 28 December 2020, Boxing Day (substitute day).',
    );
  });

  test('BST to GMT inside the period: counted from a BST date, due at 09:30 GMT, and the change is said', () => {
    const [chase] = letterOn('2020-10-13').explanations();
    expect(chase).toMatchObject({ on: '2020-11-10', dueAt: '2020-11-10T09:30:00.000Z', offset: 'GMT', skipped: [] });
    expect(chase.text).toContain('so Tuesday 10 November 2020, at 09:30 GMT (the clocks changed from BST to GMT in between)');
  });

  test('counted as sent later than its date: the base date says so', () => {
    const l = new Letter(letterInput({ policy: DEFAULT_POLICY, letterDate: '2020-10-13', sentOn: '2020-10-15' }), '2020-10-15T10:00:00.000Z');
    expect(l.explanations()[0].base).toEqual({ date: '2020-10-15', why: 'the date the letter counts as sent (it is dated Tuesday 13 October 2020)' });
  });

  test('an extension after a pause: both moves are listed and the count adds up', () => {
    const l = letterOn('2020-10-13');
    l.pause({ reason: 'awaiting legal advice' }, '2020-10-20T10:00:00.000Z');
    l.resume({}, '2020-10-22T10:00:00.000Z'); // 2 working days: Wed 21, Thu 22
    l.extendDeadline({ workingDays: 5, reason: 'asked for more time' }, '2020-10-23T10:00:00.000Z');
    const [chase] = l.explanations();
    // 10 Nov + 2 working days = 12 Nov; + 5 = 19 Nov: 27 working days from 13 October.
    expect(chase).toMatchObject({ on: '2020-11-19', workingDays: 27 });
    expect(chase.moves).toEqual([
      'paused from Tuesday 20 October 2020 to Thursday 22 October 2020 (2 working days)',
      'extended by 5 working days: asked for more time',
    ]);
  });

  test('the status carries the explanations (what `status` JSON and the letter page show)', () => {
    expect(letterOn('2020-12-01').status().explanations).toHaveLength(4);
  });

  test('the first chase states the deadline that passed', () => {
    const l = letterOn('2020-10-13');
    const m = renderFollowUp(l.input, 'chase', 0, 1, l.outstanding(), l.firstDeadline());
    expect(m.text).toContain('we asked for a reply within 20 working days, by Tuesday 10 November 2020.');
  });
});

describe('calendar changes (pure)', () => {
  test('a week closed moves exactly the steps that count across it, by the closed working days, with a timeline entry', () => {
    const l = letterOn('2020-10-13'); // chases 10 Nov and 24 Nov, escalation 8 Dec, close 8 Jan 2021
    const before = l.steps.map((s) => s.dueAt);
    const s = l.changeCalendar({ from: '2020-11-30', to: '2020-12-04', reason: 'office closed' }, '2020-10-20T10:00:00.000Z');
    const dates = s.steps.map((x) => x.dueAt.slice(0, 10));
    expect(dates[0]).toBe(before[0].slice(0, 10)); // before the closure: unchanged
    expect(dates[1]).toBe(before[1].slice(0, 10));
    expect(dates.slice(2)).toEqual(['2020-12-15', '2021-01-15']); // 8 Dec + 5 working days; 8 Jan + 5
    expect(s.timeline.at(-1)).toMatchObject({ kind: 'calendar', note: 'office closed' });
    expect(s.timeline.at(-1)!.message).toBe(
      'closed from Monday 30 November 2020 to Friday 4 December 2020: escalation moved from Tuesday 8 December 2020 to Tuesday 15 December 2020; ' +
        'close moved from Friday 8 January 2021 to Friday 15 January 2021: office closed',
    );
    expect(l.explanations()[2].skipped.map((d) => d.label)).toContain('Monday 30 November 2020, closed: office closed');
  });

  test('a closure that touches no remaining step moves nothing and says so', () => {
    const l = letterOn('2020-10-13');
    const s = l.changeCalendar({ from: '2021-03-01', reason: 'training day' }, '2020-10-20T10:00:00.000Z');
    expect(s.timeline.at(-1)!.message).toBe('closed on Monday 1 March 2021: no remaining step moved');
  });

  test('bad calendar changes are refused with a plain message and change nothing', () => {
    const l = letterOn('2020-10-13');
    const before = JSON.stringify(l.status());
    expect(() => l.validateCalendar({ from: '2020-11-31', reason: 'x' })).toThrow("from: '2020-11-31' is not a date (November 2020 has 30 days)");
    expect(() => l.validateCalendar({ from: '2020-11-10', to: '2020-11-01', reason: 'x' })).toThrow('to: 2020-11-01 is before from (2020-11-10)');
    expect(() => l.validateCalendar({ from: '2020-11-10', reason: ' ' })).toThrow('reason: say why');
    expect(() => l.validateCalendar({ reason: 'x' })).toThrow('give from (and to) for a closure, or holidays');
    expect(() => l.validateCalendar({ from: '2035-12-01', to: '2035-12-31', reason: 'x' } as never)).not.toThrow();
    expect(JSON.stringify(l.status())).toBe(before);
  });

  test('a letter keeps the bank holidays it started with; a new table is adopted only by message', () => {
    const kept = { ...DEFAULT_POLICY, holidays: holidayTableFrom(2020) };
    const l = letterOn('2020-10-13', kept);
    expect(l.steps[1].dueAt.slice(0, 10)).toBe('2020-11-24');
    // A one-off bank holiday announced for Monday 16 November 2020:
    const table: [string, string][] = [...holidayTableFrom(2020), ['2020-11-16', 'One-off bank holiday']];
    const s = l.changeCalendar({ holidays: table, reason: 'bank holiday announced' }, '2020-10-20T10:00:00.000Z');
    expect(s.steps[1].dueAt.slice(0, 10)).toBe('2020-11-25');
    expect(l.explanations()[1].skipped).toContainEqual({ date: '2020-11-16', label: 'Monday 16 November 2020, One-off bank holiday' });
  });
});

describe('a change the letter already has; what a change would do (pure)', () => {
  test('the same closure again, or a part of it, is already applied; a wider one is not; the preview says what would move and changes nothing', () => {
    const l = letterOn('2020-10-13');
    const week = { from: '2020-11-30', to: '2020-12-04', reason: 'office closed' };
    const before = JSON.stringify(l.status());
    expect(l.previewCalendar(week)).toEqual({
      outcome: 'changes',
      message:
        'closed from Monday 30 November 2020 to Friday 4 December 2020: escalation moved from Tuesday 8 December 2020 to Tuesday 15 December 2020; ' +
        'close moved from Friday 8 January 2021 to Friday 15 January 2021: office closed',
    });
    expect(l.previewCalendar({ from: '2020-11-31', reason: 'x' })).toEqual({ outcome: 'refused', message: "from: '2020-11-31' is not a date (November 2020 has 30 days)" });
    expect(JSON.stringify(l.status())).toBe(before);
    l.changeCalendar(week, '2020-10-20T10:00:00.000Z');
    expect(() => l.refuseRepeatedCalendar(week)).toThrow('the letter is already closed from Monday 30 November 2020 to Friday 4 December 2020; nothing to change');
    expect(() => l.refuseRepeatedCalendar({ from: '2020-12-01', reason: 'other' })).toThrow('the letter is already closed on Tuesday 1 December 2020; nothing to change');
    expect(() => l.refuseRepeatedCalendar({ from: '2020-12-01', to: '2020-12-07', reason: 'longer' })).not.toThrow();
    expect(l.previewCalendar(week).outcome).toBe('unchanged');
  });

  test('a corrected contact: the same addresses again (in any case) change nothing; any one different is a change', () => {
    const l = letterOn('2020-10-13');
    expect(() => l.validateCorrectAddress({ email: 'PCC@avon-and-somerset.example.org' })).toThrow(/^the letter already has these addresses \(pcc@avon-and-somerset\.example\.org; cc office@/);
    expect(() => l.validateCorrectAddress({ email: 'pcc@avon-and-somerset.example.org', cc: [] })).not.toThrow();
    expect(() => l.validateCorrectAddress({})).toThrow('give email, cc or escalateTo');
  });
});

describe('where explanations are shown', () => {
  test('the letter page folds "Why this date?" under each date, escaped', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { letterPage } = require('../client/web/letter-view') as typeof import('../client/web/letter-view');
    const l = letterOn('2020-12-01');
    const page = letterPage(
      { session: null, csrf: 't', outbox: false, path: '/letters/x' },
      { status: l.status(), workflowId: 'r/l', canRecord: false, today: '2020-12-02', now: new Date('2020-12-02T10:00:00Z'), tz: 'Europe/London' },
    );
    expect(page).toContain('<details class="why" id="why-0"><summary>Why this date?</summary><p>chase (step 1): 20 working days after Tuesday 1 December 2020 (the letter&#39;s date)');
    expect(page).toContain('Monday 28 December 2020, Boxing Day (substitute day)');
  });

  test('`rounds show --explain` prints one paragraph per step', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { formatExplanations } = require('../client/terminal-format') as typeof import('../client/terminal-format');
    const text = formatExplanations(letterOn('2020-12-01').status());
    expect(text.split('\n')[0]).toMatch(/: how its dates were worked out$/);
    expect(text).toContain("  close (step 4): 60 working days after Tuesday 1 December 2020 (the letter's date), so Friday 26 February 2021, at 09:30 GMT.");
  });
});
