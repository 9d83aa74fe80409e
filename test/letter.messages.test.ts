// The letter workflow's messages on a real (time-skipping) Temporal server: validation
// rejects bad requests and changes nothing; the plain signal works; pause, resume and
// extensions move the schedule; starting twice starts nothing twice.
import path from 'node:path';
import { letterInputs, startLetters, updateLetter, letterStatus } from '../client/letters';
import { UserError } from '../client/errors';
import { loadRoundFolder } from '../client/round-folder';
import * as api from '../workflows/letter-api';
import { recordHistory } from './support/histories';
import { rejection, startLetter, withLetterWorker } from './support/temporal';

const world = withLetterWorker();



describe('recordReceipt validation: rejected with a clear message, nothing changes', () => {
  const today = new Date().toISOString().slice(0, 10);
  const cases: [string, unknown, RegExp][] = [
    ['an unknown document key', { documents: ['problemProfil'] }, /documents\[0\]: 'problemProfil' is not a document key \(expected one of problemProfile, responseStrategy, deliveryUpdate\)/],
    ['a document not requested', { documents: ['deliveryUpdate'] }, /deliveryUpdate .* was not requested in this letter \(requested: problemProfile, responseStrategy\)/],
    ['a date before the letter', { documents: ['problemProfile'], receivedOn: '2020-10-12' }, /receivedOn: 2020-10-12 is before the letter's date, 2020-10-13/],
    ['a date in the future', { documents: ['problemProfile'], receivedOn: '2099-01-01' }, /receivedOn: 2099-01-01 is in the future \(today is \d{4}-\d{2}-\d{2}\)/],
    ['a date that does not exist', { documents: ['problemProfile'], receivedOn: '2020-02-30' }, /receivedOn: '2020-02-30' is not a date \(February 2020 has 29 days\)/],
    ['no documents', { documents: [] }, /documents: expected a non-empty list of document keys/],
    ['an unknown field', { documents: ['problemProfile'], recievedOn: today }, /unknown field 'recievedOn'/],
  ];
  test.each(cases)('%s', async (_name, payload, message) => {
    const handle = await startLetter(world.env, { documents: ['problemProfile', 'responseStrategy'] });
    const before = await handle.query(api.status);
    expect(await rejection(handle.executeUpdate(api.recordReceipt, { args: [payload as never] }))).toMatch(message);
    const after = await handle.query(api.status);
    expect(after).toEqual(before);
    await handle.terminate();
  });

  test('a document already received is rejected the second time', async () => {
    const handle = await startLetter(world.env);
    await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'], receivedOn: '2020-10-20' }] });
    const before = await handle.query(api.status);
    expect(await rejection(handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] }))).toBe(
      'problemProfile was already recorded as received on 2020-10-20',
    );
    expect(await handle.query(api.status)).toEqual(before);
    await handle.terminate();
  });

  test('an unknown workflow is a clear user error', async () => {
    await expect(updateLetter(world.env.client, 'no-such-round/no-such-letter', 'recordReceipt', { documents: ['problemProfile'] })).rejects.toThrow(
      new UserError("no letter with id 'no-such-round/no-such-letter' (ids look like <roundId>/<letterId>; see `rounds status`)"),
    );
    await expect(letterStatus(world.env.client, 'no-such-round/no-such-letter')).rejects.toThrow(UserError);
  });

  test('the client wrapper passes the workflow message through unchanged', async () => {
    const handle = await startLetter(world.env);
    await expect(updateLetter(world.env.client, handle.workflowId, 'recordReceipt', { documents: ['problemProfile'], receivedOn: '1999-01-01' })).rejects.toThrow(
      `${handle.workflowId}: receivedOn: 1999-01-01 is before the letter's date, 2020-10-13`,
    );
    await handle.terminate();
  });
});

describe('other updates validate too', () => {
  test('decline needs a reason; extend needs a later working day; resume needs a pause; a note needs text', async () => {
    const handle = await startLetter(world.env);
    const before = await handle.query(api.status);
    expect(await rejection(handle.executeUpdate(api.recordDecline, { args: [{ reason: '  ' }] }))).toMatch(/reason: say why/);
    expect(await rejection(handle.executeUpdate(api.extendDeadline, { args: [{}] }))).toMatch(/give either until .* or workingDays/);
    expect(await rejection(handle.executeUpdate(api.extendDeadline, { args: [{ workingDays: 0 }] }))).toMatch(/workingDays: expected a whole number from 1 to 250, got 0/);
    expect(await rejection(handle.executeUpdate(api.extendDeadline, { args: [{ until: '2020-10-14' }] }))).toMatch(/until: 2020-10-14 is not later than the next chase/);
    expect(await rejection(handle.executeUpdate(api.resume, { args: [{}] }))).toBe('the letter is not paused');
    expect(await rejection(handle.executeUpdate(api.addNote, { args: [{ text: '' }] }))).toBe('text: the note is empty');
    expect(await handle.query(api.status)).toEqual(before);
    await handle.terminate();
  });
});

describe('the signal form', () => {
  test('documentsReceived applies a valid receipt, and records an invalid one as rejected without applying it', async () => {
    const handle = await startLetter(world.env);
    await handle.signal(api.documentsReceived, { documents: ['responseStrategy'], receivedOn: '2020-11-02', by: 'temporal CLI' });
    await handle.signal(api.documentsReceived, { documents: ['nonsense' as never] });
    const s = await handle.query(api.status);
    expect(s.documents.responseStrategy?.receivedOn).toBe('2020-11-02');
    expect(s.state).toBe('partial');
    expect(s.outstanding).toEqual(['problemProfile', 'deliveryUpdate']);
    const rejected = s.timeline.filter((t) => t.kind === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].message).toMatch(/^documentsReceived rejected: documents\[0\]: 'nonsense' is not a document key/);
    await handle.terminate();
  });
});

describe('payloads that are not JSON (raw gRPC; the temporal CLI refuses them)', () => {
  const notJson = { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{documents: oops') }] };

  test('a signal is recorded as rejected, and the letter keeps answering and applying receipts', async () => {
    const handle = await startLetter(world.env);
    await world.env.client.workflowService.signalWorkflowExecution({
      namespace: world.env.namespace ?? 'default',
      workflowExecution: { workflowId: handle.workflowId },
      signalName: api.documentsReceived.name,
      identity: 'letter.messages test',
      input: notJson,
    });
    await handle.signal(api.documentsReceived, { documents: ['problemProfile'] });
    const s = await handle.query(api.status);
    expect(s.timeline.filter((t) => t.kind === 'rejected').map((t) => t.message)).toEqual([
      expect.stringMatching(/^documentsReceived rejected: the payload is not JSON \(.*JSON.*\)$/),
    ]);
    expect(s.documents.problemProfile?.receivedOn).toBeDefined();
    await handle.terminate();
  });

  test('an update is refused with the reason, and nothing changes', async () => {
    const handle = await startLetter(world.env);
    const before = await handle.query(api.status);
    const response = await world.env.client.workflowService.updateWorkflowExecution({
      namespace: world.env.namespace ?? 'default',
      workflowExecution: { workflowId: handle.workflowId },
      request: { meta: { updateId: 'not-json', identity: 'letter.messages test' }, input: { name: api.recordReceipt.name, args: notJson } },
      waitPolicy: { lifecycleStage: 3 }, // completed
    });
    expect(response.outcome?.failure?.message).toMatch(/^the payload is not JSON \(/);
    expect(await handle.query(api.status)).toEqual(before);
    await handle.terminate();
  });
});

describe('the schedule moves', () => {
  test('pause stops the clock; resume moves the remaining steps by the time paused', async () => {
    const handle = await startLetter(world.env);
    const planned = (await handle.query(api.status)).steps.map((s) => Date.parse(s.dueAt));
    let s = await handle.executeUpdate(api.pause, { args: [{ reason: 'they asked for time', by: 'Staff' }] });
    expect(s.state).toBe('paused');
    expect(s.nextAction).toBeNull();
    const sent = world.sink.messages.length;
    await world.env.sleep('5 minutes'); // past the first chase and the second
    expect(world.sink.messages.length).toBe(sent);
    s = await handle.executeUpdate(api.resume, { args: [{ by: 'Staff' }] });
    expect(s.state).toBe('awaiting');
    const moved = s.steps.map((x) => Date.parse(x.dueAt));
    moved.forEach((t, i) => {
      expect(t - planned[i]).toBeGreaterThanOrEqual(5 * 60_000);
      expect(t - planned[i]).toBeLessThan(5 * 60_000 + 5_000);
    });
    await world.env.sleep('3 minutes');
    s = await handle.query(api.status);
    expect(s.state).toBe('chased');
    expect(s.timeline.map((t) => t.kind)).toEqual(['recorded-sent', 'paused', 'resumed', 'chase']);
    await handle.signal(api.documentsReceived, { documents: ['nonsense' as never] });
    await handle.executeUpdate(api.extendDeadline, { args: [{ workingDays: 1 }] });
    await handle.executeUpdate(api.addNote, { args: [{ text: 'phoned the office' }] });
    await handle.executeUpdate(api.recordDecline, { args: [{ documents: ['deliveryUpdate'], reason: 'not held' }] });
    await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile', 'responseStrategy'] }] });
    expect((await handle.result()).state).toBe('complete');
    await recordHistory(handle, 'letter-paused-extended-declined');
  });

  test('an extension by working days moves every remaining step', async () => {
    const handle = await startLetter(world.env);
    const planned = (await handle.query(api.status)).steps.map((s) => Date.parse(s.dueAt));
    const s = await handle.executeUpdate(api.extendDeadline, { args: [{ workingDays: 2, reason: 'agreed by phone' }] });
    // Plain-duration steps move by calendar days.
    s.steps.forEach((x, i) => expect(Date.parse(x.dueAt) - planned[i]).toBe(2 * 86_400_000));
    const sent = world.sink.messages.length;
    await world.env.sleep('1 day');
    expect(world.sink.messages.length).toBe(sent);
    expect((await handle.query(api.status)).timeline.at(-1)).toMatchObject({ kind: 'extension', note: 'agreed by phone' });
    await world.env.sleep(86_400_000 + 3 * 60_000);
    expect((await handle.query(api.status)).state).toBe('chased');
    await handle.terminate();
  });

  test('decline of everything outstanding ends the letter as declined', async () => {
    const handle = await startLetter(world.env);
    const s = await handle.executeUpdate(api.recordDecline, { args: [{ reason: 'We do not hold these documents', by: 'Staff' }] });
    expect(s.state).toBe('declined');
    expect((await handle.result()).state).toBe('declined');
  });

  test('withdraw ends the letter; later updates are refused', async () => {
    const handle = await startLetter(world.env);
    expect((await handle.executeUpdate(api.withdraw, { args: [{ reason: 'sent in error' }] })).state).toBe('withdrawn');
    expect((await handle.result()).state).toBe('withdrawn');
    await expect(updateLetter(world.env.client, handle.workflowId, 'addNote', { text: 'too late' })).rejects.toThrow(UserError);
  });

  test('a letter imported after steps were due fires one catch-up action and skips the earlier ones', async () => {
    // The server's clock (it has skipped ahead in earlier tests): chases at 2 and 4 minutes are already due.
    const sentAt = new Date((await world.env.currentTimeMs()) - 5 * 60_000).toISOString();
    const handle = await startLetter(world.env, { sentAt });
    await world.env.sleep('10s');
    const s = await handle.query(api.status);
    expect(s.steps.map((x) => x.status)).toEqual(['skipped', 'done', 'pending', 'pending']);
    expect(s.timeline.map((t) => t.kind)).toEqual(['recorded-sent', 'skipped', 'chase']);
    await handle.terminate();
  });
});

describe('starting a round', () => {
  test('is idempotent: a second start starts nothing twice', async () => {
    const plan = await loadRoundFolder(path.join(__dirname, 'fixtures', 'rounds', 'small'));
    const inputs = letterInputs(plan, { delivery: 'record-sent', sentOn: 'now' }).map((i) => ({ ...i, roundId: `small-${Date.now()}` }));
    const first = await startLetters(world.env.client, inputs);
    expect(first.started).toHaveLength(3);
    expect(first.alreadyStarted).toHaveLength(0);
    const second = await startLetters(world.env.client, inputs);
    expect(second.started).toHaveLength(0);
    expect(second.alreadyStarted.sort()).toEqual(first.started.sort());
    const s = await letterStatus(world.env.client, `${inputs[0].roundId}/alpha`);
    expect(s.recipient.name).toBe('Alex Alpha');
    expect(s.timeline.filter((t) => t.kind === 'recorded-sent')).toHaveLength(1);
  });
});

describe('a corrected contact (issue 16)', () => {
  test('applies to the next email (chase to the new address and copies, escalation to the new contact) and is on the timeline; the same again changes nothing', async () => {
    const handle = await startLetter(world.env);
    const { roundId, letterId } = await handle.query(api.status);
    const corrected = { email: 'sue.m@avon-and-somerset.example.org', cc: ['pa@avon-and-somerset.example.org'], escalateTo: ['ceo@avon-and-somerset.example.org'], reason: 'new office', by: 'April' };
    const s = await handle.executeUpdate(api.correctAddress, { args: [corrected] });
    expect(s.state).toBe('awaiting');
    expect(s.timeline.at(-1)).toMatchObject({
      kind: 'address-corrected',
      by: 'April',
      note: 'new office',
      message:
        'contact corrected: the next email goes to sue.m@avon-and-somerset.example.org; cc pa@avon-and-somerset.example.org; escalations to ceo@avon-and-somerset.example.org (was pcc@avon-and-somerset.example.org; cc office@avon-and-somerset.example.org; escalations to chief-executive@avon-and-somerset.example.org)',
    });
    // The same contact again: refused as already applied, nothing added to the timeline.
    const again = handle.executeUpdate(api.correctAddress, { args: [{ email: 'SUE.M@avon-and-somerset.example.org' }] });
    expect(await rejection(again)).toBe('the letter already has these addresses (sue.m@avon-and-somerset.example.org; cc pa@avon-and-somerset.example.org; escalations to ceo@avon-and-somerset.example.org); nothing to change');
    expect((await handle.query(api.status)).timeline).toEqual(s.timeline);

    const mine = () => world.sink.messages.filter((m) => m.messageId?.includes(`${roundId}.${letterId}.step-`));
    await world.env.sleep('150s'); // chase 1
    expect(mine()).toHaveLength(1);
    expect(mine()[0].recipients).toEqual(['sue.m@avon-and-somerset.example.org', 'pa@avon-and-somerset.example.org']);
    await world.env.sleep('5 minutes'); // chase 2 and the escalation
    expect(mine()).toHaveLength(3);
    expect(mine()[2].recipients).toEqual(['sue.m@avon-and-somerset.example.org', 'pa@avon-and-somerset.example.org', 'ceo@avon-and-somerset.example.org']);
    await handle.terminate();
  });
});
