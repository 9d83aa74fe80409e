// Issue 16 on the time-skipping server: a closure added while 50 letters are open, then the
// months skipped through. Not only the planned dates move (test/deadlines.temporal.test.ts
// checks those through `rounds calendar close` on a dev server, which has visibility): the
// chases and closes really happen on the moved days, at 09:30 London, and the letters the
// closure does not touch fire exactly when first planned. The letters are told through the
// fan-out the CLI uses (client/round-actions.ts applyToLetters), by their ids: the
// time-skipping server has no visibility listing.
import { addWorkingDays, holidayTableFrom } from '../domain/calendar';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { planSteps } from '../domain/schedule';
import type { LetterInput } from '../domain/types';
import { applyToLetters, calendarMessage } from '../client/round-actions';
import * as api from '../workflows/letter-api';
import { letterInput, withLetterWorker } from './support/temporal';

jest.setTimeout(300_000);
const world = withLetterWorker();

// Chase after 20 working days, close as unanswered after 25: two timers a letter.
const policy: Policy = {
  ...DEFAULT_POLICY,
  steps: [
    { after: { unit: 'workingDays', days: 20 }, action: 'chase' },
    { after: { unit: 'workingDays', days: 25 }, action: 'close' },
  ],
  holidays: holidayTableFrom(2027),
};
const CLOSED = ['2027-04-12', '2027-04-13', '2027-04-14', '2027-04-15', '2027-04-16'];

test('a closure added while 50 letters are open: the chases and closes of exactly those whose steps count across it happen later by the closed working days; the rest when first planned', async () => {
  const round = `skip-${process.pid}-${Date.now().toString(36)}`;
  // Counted as sent on each working day from 1 March 2027: the first letters' steps are over
  // before the closure, the last ones' start after it, those between count across it.
  const inputs: LetterInput[] = Array.from({ length: 50 }, (_, i) => {
    const sentOn = addWorkingDays('2027-03-01', i, { holidays: policy.holidays });
    return letterInput({ roundId: round, letterId: `l${i}`, letterDate: sentOn, sentOn, policy });
  });
  const handles = await Promise.all(
    inputs.map((input) => world.env.client.workflow.start('letter', { taskQueue: api.TASK_QUEUE, workflowId: api.workflowIdFor(round, input.letterId), args: [input] })),
  );
  const first = inputs.map((input) => planSteps(policy, { sentOn: input.sentOn, sentAt: input.sentOn }).map((s) => s.dueAt));
  // Worked out independently of the letters: the same policy with the closure among its closed days.
  const moved = inputs.map((input) => planSteps({ ...policy, closures: CLOSED }, { sentOn: input.sentOn, sentAt: input.sentOn }).map((s) => s.dueAt));
  const touched = inputs.map((_, i) => JSON.stringify(first[i]) !== JSON.stringify(moved[i]));
  expect(touched.filter(Boolean).length).toBeGreaterThan(10);
  expect(touched.filter((t) => !t).length).toBeGreaterThan(10);

  const outcomes = await applyToLetters(world.env.client, handles.map((h) => h.workflowId), 'changeCalendar', { from: CLOSED[0], to: CLOSED[4], reason: 'office closed' }, { describe: calendarMessage });
  expect(outcomes.every((o) => o.ok && !o.unchanged)).toBe(true);
  for (const [i, o] of outcomes.entries()) {
    if (touched[i]) expect(o.message).toMatch(/^closed from Monday 12 April 2027 to Friday 16 April 2027: (chase 1|close) moved from .* to .*: office closed$/);
    else expect(o.message).toBe('closed from Monday 12 April 2027 to Friday 16 April 2027: no remaining step moved');
  }

  // Skip to after every letter has closed (the last close is in June 2027).
  await world.env.sleep(Date.parse('2027-07-01T00:00:00Z') - Date.now());
  const statuses = await Promise.all(handles.map((h) => h.query(api.status)));
  for (const [i, s] of statuses.entries()) {
    expect(s.state).toBe('unanswered');
    const fired = s.timeline.filter((e) => e.kind === 'chase' || e.kind === 'closed').map((e) => e.at);
    expect(fired).toHaveLength(2);
    // Each step happened when the calendar (with the closure) says, within the few seconds a workflow task takes.
    for (const [k, at] of fired.entries()) {
      const late = Date.parse(at) - Date.parse(moved[i][k]);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(60_000);
    }
  }
  // One chase email each, sent on the moved day.
  const chases = world.sink.messages.filter((m) => m.messageId?.includes(`<${round}.`) && m.messageId.includes('.step-0@'));
  expect(chases).toHaveLength(50);
});
