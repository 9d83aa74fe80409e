import { DEFAULT_POLICY, formatAfter, parseAfter, parsePolicy } from '../domain/policy';
import { planSteps, shiftByWorkingDays, shiftForPause, shiftPending, shiftUntil, stepsToSkip } from '../domain/schedule';

describe('parseAfter', () => {
  test.each([
    ['20 working days', { unit: 'workingDays', days: 20 }],
    ['1 working day', { unit: 'workingDays', days: 1 }],
    ['90 seconds', { unit: 'duration', ms: 90_000 }],
    ['2 minutes', { unit: 'duration', ms: 120_000 }],
    ['2 weeks', { unit: 'duration', ms: 14 * 86_400_000 }],
    [' 3 Hours ', { unit: 'duration', ms: 3 * 3_600_000 }],
  ])('%s', (text, expected) => expect(parseAfter(text)).toEqual(expected));

  test('a typo names the field, the expected form and what it got', () => {
    expect(() => parsePolicy({ steps: [{ after: '20 working days', action: 'chase' }, { after: '20 wrking days', action: 'chase' }] })).toThrow(
      "policy.steps[1].after: expected e.g. '20 working days' or '2 minutes', got '20 wrking days'",
    );
  });
  test.each([
    [{ steps: [{ after: '2 minutes', action: 'shout' }] }, 'policy.steps[0].action: expected one of chase, escalate, close, got "shout"'],
    [{ steps: [{ after: '4 minutes', action: 'chase' }, { after: '2 minutes', action: 'chase' }] }, "policy.steps[1].after: steps must be in order: '2 minutes' is not after '4 minutes'"],
    [{ steps: [{ after: '2 minutes', action: 'close' }, { after: '4 minutes', action: 'chase' }] }, 'policy.steps[0].action: close must be the last step'],
    [{ steps: [{ after: '2 minutes', action: 'chase' }] }, "policy.steps[0].action: the last step must be close (closing the letter as unanswered), got 'chase'"],
    [{ sendAt: '9:30' }, 'policy.sendAt: expected a 24-hour time like \'09:30\', got "9:30"'],
    [{ timezone: 'Europe/Londn' }, 'policy.timezone: expected an IANA time zone like \'Europe/London\', got "Europe/Londn"'],
    [{ closures: ['2020-12-32'] }, "policy.closures[0]: '2020-12-32' is not a date (December 2020 has 31 days)"],
    // Date.parse takes 2021-02-30 for 2 March: an impossible closure used to pass.
    [{ closures: ['2021-02-30'] }, "policy.closures[0]: '2021-02-30' is not a date (February 2021 has 28 days)"],
    [{ closures: ['29/12/2020'] }, "policy.closures[0]: '29/12/2020' is not a date (expected a date like 2020-10-13)"],
    [{ steps: Array.from({ length: 21 }, (_, i) => ({ after: `${i + 1} working days`, action: i === 20 ? 'close' : 'chase' })) }, 'policy.steps: at most 20 steps, got 21'],
    [{ stpes: [] }, 'policy.stpes: unknown setting (expected steps, sendAt, timezone, closures or publicationWindow)'],
    [{ steps: [] }, 'policy.steps: expected a non-empty list'],
  ])('%j is refused', (raw, message) => expect(() => parsePolicy(raw)).toThrow(message));

  test('formatAfter round-trips', () => {
    for (const t of ['20 working days', '1 working day', '90 seconds', '2 minutes', '2 weeks']) expect(formatAfter(parseAfter(t))).toBe(t);
  });
});

describe('the schedule of the default policy (worked examples)', () => {
  const anchor = { sentOn: '2020-10-13', sentAt: '2020-10-13T09:00:00.000Z' };
  const steps = planSteps(DEFAULT_POLICY, anchor);

  test('a letter of Tuesday 13 October 2020 is chased on Tuesday 10 November at 09:30 London (GMT after the clocks went back)', () => {
    expect(steps.map((s) => [s.action, s.dueAt])).toEqual([
      ['chase', '2020-11-10T09:30:00.000Z'],
      ['chase', '2020-11-24T09:30:00.000Z'],
      ['escalate', '2020-12-08T09:30:00.000Z'],
      // 60 working days: over Christmas (25 and 28 December are bank holidays) and New Year's Day.
      ['close', '2021-01-08T09:30:00.000Z'],
    ]);
  });

  test('in summer, 09:30 London is 08:30Z', () => {
    expect(planSteps(DEFAULT_POLICY, { sentOn: '2021-05-04', sentAt: '2021-05-04T09:00:00.000Z' })[0].dueAt).toBe('2021-06-02T08:30:00.000Z');
  });

  test('round closures count as non-working days', () => {
    const policy = { ...DEFAULT_POLICY, closures: ['2020-10-14', '2020-10-15'] };
    expect(planSteps(policy, anchor)[0].dueAt).toBe('2020-11-12T09:30:00.000Z');
  });

  test('an extension by 5 working days moves every pending step, skipping the bank holidays', () => {
    const done = steps.map((s, i) => (i === 0 ? { ...s, status: 'done' as const } : s));
    const moved = shiftPending(done, DEFAULT_POLICY, shiftByWorkingDays(5));
    expect(moved.map((s) => s.dueAt)).toEqual([
      '2020-11-10T09:30:00.000Z', // done: stays
      '2020-12-01T09:30:00.000Z',
      '2020-12-15T09:30:00.000Z',
      '2021-01-15T09:30:00.000Z',
    ]);
  });

  test('an extension until a date moves the next step there and the rest by the same working days', () => {
    const shift = shiftUntil(steps[0], '2020-11-17', DEFAULT_POLICY);
    expect(shift.workingDays).toBe(5);
    expect(shiftPending(steps, DEFAULT_POLICY, shift)[0].dueAt).toBe('2020-11-17T09:30:00.000Z');
  });

  test('a pause over a weekend and a bank holiday moves the steps by the working days paused', () => {
    // Paused Thursday 24 December 2020, resumed Tuesday 29 December: 25 and 28 December are bank holidays.
    const shift = shiftForPause('2020-12-24T10:00:00.000Z', '2020-12-29T10:00:00.000Z', DEFAULT_POLICY);
    expect(shift.workingDays).toBe(1);
  });

  test('a late import: only the latest due step fires, earlier due ones are skipped', () => {
    expect(stepsToSkip(steps, Date.parse('2020-12-09T00:00:00Z'))).toEqual([0, 1]);
    expect(stepsToSkip(steps, Date.parse('2020-11-11T00:00:00Z'))).toEqual([]);
    expect(stepsToSkip(steps, Date.parse('2020-10-20T00:00:00Z'))).toEqual([]);
  });
});
