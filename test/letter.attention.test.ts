// No letter ever wedges (issue 11): inputs that used to fail the letter workflow's first task
// forever, or an update's handler, now put the letter in a visible state (needs-attention,
// with the reason) where it still answers `status` and accepts a fix; texts are cleaned and
// capped; the timeline cannot outgrow the status query. On a real (time-skipping) server.
import { Letter, TIMELINE_KEEP } from '../domain/letter';
import { DEFAULT_POLICY } from '../domain/policy';
import type { LetterInput } from '../domain/types';
import * as api from '../workflows/letter-api';
import { letterInput, rejection, startLetter, withLetterWorker } from './support/temporal';

const world = withLetterWorker();


/** Today on the server's clock (it moves ahead of the real one as tests skip time). */
async function serverToday(): Promise<string> {
  const probe = await startLetter(world.env);
  const at = (await probe.query(api.status)).timeline[0].at;
  await probe.terminate();
  return at.slice(0, 10);
}

describe('a schedule beyond the calendar (item 2) puts the letter in needs-attention, not in a failing task', () => {
  const replanned = [
    ['chase', '2030-03-04T09:30:00.000Z', 'pending'],
    ['chase', '2030-03-18T09:30:00.000Z', 'pending'],
    ['escalate', '2030-04-01T08:30:00.000Z', 'pending'],
    ['close', '2030-05-01T08:30:00.000Z', 'pending'],
  ];
  test.each([
    ['sent on 2014-06-02', { letterDate: '2014-06-02', sentOn: '2014-06-02' }, /the letter counts as sent on 2014-06-02, outside the working-day calendar \(England and Wales bank holidays, 2015 to 2035\)/, replanned],
    ['sent on 2099-01-05', { letterDate: '2099-01-05', sentOn: '2099-01-05' }, /the letter counts as sent on 2099-01-05, outside the working-day calendar/, replanned],
    [
      'a step after 5000 working days',
      { policy: { ...DEFAULT_POLICY, steps: [{ after: { unit: 'workingDays', days: 5000 }, action: 'close' }] } },
      /step 1 \(5000 working days: close\): 5000 working days after 2020-10-13 runs past the end of the England and Wales holiday table \(2035-12-31\)/,
      [['close', '2030-03-04T09:30:00.000Z', 'pending']],
    ],
  ] as [string, Partial<LetterInput>, RegExp, string[][]][])('%s', async (_name, overrides, reason, steps) => {
    const handle = await startLetter(world.env, { policy: DEFAULT_POLICY, ...overrides });
    try {
      const s = await handle.query(api.status);
      expect(s.state).toBe('needs-attention');
      expect(s.stateDescription).toMatch(/^Needs attention/);
      expect(s.attention).toMatch(reason);
      expect(s.nextAction).toBeNull();
      expect(s.timeline.map((t) => t.kind)).toEqual(['needs-attention', 'recorded-sent']);
      // It accepts a note meanwhile.
      const noted = await handle.executeUpdate(api.addNote, { args: [{ text: 'looking into it', by: 'Staff' }] });
      expect(noted.timeline.at(-1)).toMatchObject({ kind: 'note', note: 'looking into it' });
      // The fix: an extension to a date plans the remaining steps again from it (the first on
      // that date, the others keeping their spacing in working days); by working days cannot.
      expect(await rejection(handle.executeUpdate(api.extendDeadline, { args: [{ workingDays: 5 }] }))).toMatch(/the letter needs attention .* give until \(a date\)/);
      const fixed = await handle.executeUpdate(api.extendDeadline, { args: [{ until: '2030-03-04', reason: 'replanned', by: 'Lead' }] });
      expect(fixed.state).toBe('awaiting');
      expect(fixed.attention).toBeUndefined();
      expect(fixed.steps.map((x) => [x.action, x.dueAt, x.status])).toEqual(steps);
      expect(fixed.nextAction).toEqual({ kind: steps[0][0], at: '2030-03-04T09:30:00.000Z' });
    } finally {
      await handle.terminate();
    }
  });

  test('a start argument that is not a letter at all: needs-attention with the reasons, nothing sent, withdraw works', async () => {
    const sent = world.sink.messages.length;
    const handle = await world.env.client.workflow.start(api.WORKFLOW_TYPE, {
      taskQueue: api.TASK_QUEUE,
      workflowId: `attention-${Date.now()}/garbage`,
      args: [{ roundId: 'r', letterId: 'l', documents: 'all of them', delivery: 'send', recipient: { name: 'x'.repeat(1_000_000), email: 7 } }],
    });
    const s = await handle.query(api.status);
    expect(s.state).toBe('needs-attention');
    expect(s.attention).toMatch(/^the letter was started with fields it cannot use: recipient\.email: expected text, got 7; .*\(and \d+ more\)$/);
    expect(s.attention!.length).toBeLessThanOrEqual(1000);
    expect(s.recipient.name.length).toBeLessThanOrEqual(200);
    expect(await rejection(handle.executeUpdate(api.extendDeadline, { args: [{ until: '2030-03-04' }] }))).toMatch(/An extension cannot fix that; withdraw the letter/);
    expect((await handle.executeUpdate(api.withdraw, { args: [{}] })).state).toBe('withdrawn');
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(world.sink.messages.length).toBe(sent);
  });
});

test('an extension whose later steps would fall beyond the calendar is refused by the validator (item 3), and the letter answers', async () => {
  const today = await serverToday();
  const handle = await startLetter(world.env, { letterDate: today, sentOn: today, policy: DEFAULT_POLICY });
  const before = await handle.query(api.status);
  const started = Date.now();
  const message = await rejection(handle.executeUpdate(api.extendDeadline, { args: [{ until: '2035-12-31' }] }));
  expect(Date.now() - started).toBeLessThan(5000); // refused at once, not a task retried for 20 s
  expect(message).toMatch(/^until: the steps cannot be moved there: step 2 \(30 working days: chase\), moved by (\d+) working days: \1 working days after \d{4}-\d{2}-\d{2} runs past the end of the England and Wales holiday table \(2035-12-31\)$/);
  expect(await handle.query(api.status)).toEqual(before);
  // A plannable extension still works.
  const moved = await handle.executeUpdate(api.extendDeadline, { args: [{ workingDays: 5 }] });
  expect(moved.state).toBe('awaiting');
  await handle.terminate();
});

describe('what enters a letter is cleaned and capped (item 4)', () => {
  test('three signals with a 1.5 MB document key: each rejection echoes ~100 characters, status stays small', async () => {
    const handle = await startLetter(world.env);
    const huge = 'k'.repeat(1_500_000);
    for (let i = 0; i < 3; i++) await handle.signal(api.documentsReceived, { documents: [huge as never] });
    const s = await handle.query(api.status);
    const rejected = s.timeline.filter((t) => t.kind === 'rejected');
    expect(rejected).toHaveLength(3);
    for (const r of rejected) {
      expect(r.message).toMatch(/^documentsReceived rejected: documents\[0\]: 'k{99}…' is not a document key/);
      expect(r.message!.length).toBeLessThan(300);
    }
    expect(JSON.stringify(s).length).toBeLessThan(20_000);
    // Updates still work.
    expect((await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] })).state).toBe('partial');
    await handle.terminate();
  });

  test('the timeline keeps its first and last entries and says how many were left out; the state stays right', async () => {
    const handle = await startLetter(world.env);
    await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'], receivedOn: '2020-10-20' }] });
    const n = 150;
    for (let i = 0; i < n; i++) await handle.signal(api.documentsReceived, { documents: [`bad-${i}` as never] });
    const s = await handle.query(api.status);
    const total = 2 + n; // recorded-sent, receipt, then the rejections
    expect(s.timeline).toHaveLength(TIMELINE_KEEP.first + 1 + TIMELINE_KEEP.last);
    expect(s.timeline.slice(0, 2).map((t) => t.kind)).toEqual(['recorded-sent', 'receipt']);
    expect(s.timeline[TIMELINE_KEEP.first]).toMatchObject({ kind: 'omitted', message: expect.stringMatching(new RegExp(`^${total - TIMELINE_KEEP.first - TIMELINE_KEEP.last} entries omitted`)) });
    expect(s.timeline.at(-1)?.message).toMatch(/'bad-149' is not a document key/);
    expect(s.state).toBe('partial');
    expect(s.documents.problemProfile?.receivedOn).toBe('2020-10-20');
    await handle.terminate();
  });

  test('notes, reasons and names lose control and bidi-override characters; notes keep their lines', async () => {
    const handle = await startLetter(world.env);
    const s = await handle.executeUpdate(api.addNote, { args: [{ text: 'Rang\u0007 them\r\n\tdue \u202Emid-week\u202C\u2066.\u0085', by: 'Sam\nSmith\u009B' }] });
    expect(s.timeline.at(-1)).toMatchObject({ kind: 'note', note: 'Rang them\n\tdue mid-week.', by: 'Sam Smith' });
    const d = await handle.executeUpdate(api.recordDecline, { args: [{ documents: ['deliveryUpdate'], reason: 'not \u202Eheld\u0000', by: '\u2067Ann' }] });
    expect(d.documents.deliveryUpdate).toMatchObject({ declineReason: 'not held' });
    expect(d.timeline.at(-1)).toMatchObject({ by: 'Ann', note: 'not held' });
    await handle.terminate();
  });

  test("a letter's input is cleaned too (what rounds start sends, and anything else)", async () => {
    const base = letterInput();
    const handle = await startLetter(world.env, {
      subject: 'Please\u202E send\u0007 \u0085documents',
      recipient: { ...base.recipient, name: 'Sue\u0000 Mount\u2066stevens', organisation: 'o'.repeat(10_000) },
    });
    const s = await handle.query(api.status);
    expect(s.subject).toBe('Please send documents');
    expect(s.recipient.name).toBe('Sue Mountstevens');
    expect(s.recipient.organisation).toHaveLength(500);
    expect(s.state).toBe('awaiting');
    await handle.terminate();
  });
});

describe('the Letter rules without a server', () => {
  test('a resume whose re-planned steps would leave the calendar resumes into needs-attention; extend --until fixes it', () => {
    const policy = { ...DEFAULT_POLICY, steps: [{ after: { unit: 'workingDays', days: 20 }, action: 'close' }] } as LetterInput['policy'];
    const l = new Letter(letterInput({ policy, letterDate: '2035-10-01', sentOn: '2035-10-01' }), '2035-10-01T10:00:00.000Z');
    expect(l.state).toBe('awaiting');
    l.pause({}, '2035-10-02T10:00:00.000Z');
    const s = l.resume({ by: 'Staff' }, '2035-12-20T10:00:00.000Z');
    expect(s.state).toBe('needs-attention');
    expect(s.attention).toMatch(/^its remaining steps cannot be moved after the pause: step 1 \(20 working days: close\), moved by \d+ working days: /);
    expect(s.nextAction).toBeNull();
    const now = '2035-12-20T11:00:00.000Z';
    expect(() => l.extendDeadline({ until: '2035-12-19' }, now)).toThrow('until: 2035-12-19 is not later than today (2035-12-20)');
    expect(() => l.extendDeadline({ until: '2035-12-25' }, now)).toThrow('until: 2035-12-25 is not a working day');
    const fixed = l.extendDeadline({ until: '2035-12-27', reason: 'agreed' }, now);
    expect(fixed.state).toBe('awaiting');
    expect(fixed.nextAction).toEqual({ kind: 'close', at: '2035-12-27T09:30:00.000Z' });
  });
});
