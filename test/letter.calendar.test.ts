// Working-day policies in the real workflow, on the time-skipping server.
import { DEFAULT_POLICY } from '../domain/policy';
import * as api from '../workflows/letter-api';
import { parsedMail, startLetter, withLetterWorker } from './support/temporal';

const world = withLetterWorker();

test('a letter sent on Friday 30 April 2027, before the early May bank holiday, is chased on the right days at 09:30 London', async () => {
  const handle = await startLetter(world.env, { letterDate: '2027-04-30', sentOn: '2027-04-30', sentAt: '2027-04-30T09:00:00.000Z', policy: DEFAULT_POLICY });
  let s = await handle.query(api.status);
  // 20 working days: Monday 3 May and Monday 31 May 2027 are bank holidays. 09:30 BST is 08:30Z.
  expect(s.steps.map((x) => [x.action, x.dueAt])).toEqual([
    ['chase', '2027-06-01T08:30:00.000Z'],
    ['chase', '2027-06-15T08:30:00.000Z'],
    ['escalate', '2027-06-29T08:30:00.000Z'],
    ['close', '2027-07-27T08:30:00.000Z'],
  ]);
  const before = world.sink.messages.length;
  // Skip to just before the chase: nothing sent yet.
  await world.env.sleep(Date.parse('2027-06-01T08:29:00.000Z') - (await world.env.currentTimeMs()));
  expect(world.sink.messages.length).toBe(before);
  await world.env.sleep('2 minutes');
  s = await handle.query(api.status);
  expect(s.state).toBe('chased');
  const chase = s.timeline.find((t) => t.kind === 'chase')!;
  expect(chase.at.slice(0, 16)).toBe('2027-06-01T08:30');
  const mail = (await parsedMail(world.sink)).at(-1)!;
  const st = await handle.query(api.status);
  expect(mail.subject).toBe(`Reminder: ${st.subject} (our letter of Friday 30 April 2027) [${st.roundId}/${st.letterId}]`);
  await handle.terminate();
});

test('an extension until a date moves the chase there, at the policy time', async () => {
  const handle = await startLetter(world.env, { letterDate: '2027-04-30', sentOn: '2027-04-30', sentAt: '2027-04-30T09:00:00.000Z', policy: DEFAULT_POLICY });
  const s = await handle.executeUpdate(api.extendDeadline, { args: [{ until: '2027-06-08', reason: 'asked for a week' }] });
  expect(s.nextAction).toEqual({ kind: 'chase', at: '2027-06-08T08:30:00.000Z' });
  // The later steps move by the same 5 working days.
  expect(s.steps.map((x) => x.dueAt.slice(0, 10))).toEqual(['2027-06-08', '2027-06-22', '2027-07-06', '2027-08-03']);
  const err = await handle.executeUpdate(api.extendDeadline, { args: [{ until: '2027-06-12' }] }).catch((e) => e.cause.message);
  expect(err).toBe('until: 2027-06-12 is not a working day; choose a weekday that is not a bank holiday');
  await handle.terminate();
});
