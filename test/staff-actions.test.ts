// The seven staff actions are named once (domain/staff-actions.ts); the workflow's updates,
// the dashboard's forms and the CLI's commands come from that table.
import { STAFF_ACTION_NAMES, STAFF_ACTIONS } from '../domain/staff-actions';
import { LETTER_FORMS } from '../client/web/letter-view';
import { FIELD_LABELS } from '../client/web/form-words';
import * as api from '../workflows/letter-api';

test('the actions, in the order the dashboard offers them', () => {
  expect(STAFF_ACTION_NAMES).toEqual(['receipt', 'decline', 'extend', 'pause', 'resume', 'withdraw', 'note']);
});

test('each action has its workflow update, under the name recorded in every history', () => {
  const updates = { receipt: api.recordReceipt, decline: api.recordDecline, extend: api.extendDeadline, pause: api.pause, resume: api.resume, withdraw: api.withdraw, note: api.addNote };
  expect(Object.fromEntries(STAFF_ACTION_NAMES.map((a) => [a, updates[a].name]))).toEqual({
    receipt: 'recordReceipt',
    decline: 'recordDecline',
    extend: 'extendDeadline',
    pause: 'pause',
    resume: 'resume',
    withdraw: 'withdraw',
    note: 'addNote',
  });
  for (const a of STAFF_ACTION_NAMES) expect(updates[a].name).toBe(STAFF_ACTIONS[a].update);
});

test('the dashboard has one form per action, with its labels', () => {
  expect(LETTER_FORMS).toEqual(STAFF_ACTION_NAMES);
  expect(Object.keys(FIELD_LABELS).sort()).toEqual([...STAFF_ACTION_NAMES].sort());
});

test('the CLI has one command per action', async () => {
  const { Command } = await import('commander');
  const commands: string[] = [];
  const original = Command.prototype.command;
  // Record the commands main() declares; --version-like parsing of nothing then returns.
  const spy = jest.spyOn(Command.prototype, 'command').mockImplementation(function (this: InstanceType<typeof Command>, ...args: Parameters<typeof original>) {
    commands.push(String(args[0]).split(' ')[0]);
    return original.apply(this, args) as never;
  });
  try {
    const { roundsInProcess } = await import('./support/cli');
    await roundsInProcess(['--help']);
  } finally {
    spy.mockRestore();
  }
  expect(commands).toEqual(expect.arrayContaining(STAFF_ACTION_NAMES.map((a) => STAFF_ACTIONS[a].command)));
  expect(STAFF_ACTION_NAMES.map((a) => STAFF_ACTIONS[a].command)).toEqual(['receive', 'decline', 'extend', 'pause', 'resume', 'withdraw', 'note']);
});
