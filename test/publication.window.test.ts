// The publication window (issue 14): a finished letter's workflow stays open for publication
// changes (attachDocument, setPublication, closeLetter) for policy.publicationWindow, restarted
// by each, so staff can mark documents after the last receipt; its state stays what it ended as.
// Real letter workflows on a time-skipping server; the window's end on the working-day calendar
// checked in the domain.
import { Letter, publicationWindowEnd } from '../domain/letter';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../domain/policy';
import * as api from '../workflows/letter-api';
import { recordHistory } from './support/histories';
import { letterInput, rejection, SHORT_POLICY, startLetter, withLetterWorker } from './support/temporal';

const world = withLetterWorker();
const MINUTE = 60_000;
const file = { sha256: 'b'.repeat(64), size: 10, name: 'profile.pdf', mediaType: 'application/pdf' };
const windowOf = (ms: number): Policy => ({ ...SHORT_POLICY, publicationWindow: { unit: 'duration', ms } });
const executionStatus = async (h: Awaited<ReturnType<typeof startLetter>>) => (await h.describe()).status.name;

describe('the window on the calendar', () => {
  test('40 working days by default, at the policy time; holidays skipped; 0 working days is none', () => {
    expect(publicationWindowEnd(DEFAULT_POLICY, '2026-01-05T10:00:00Z')).toBe('2026-03-02T09:30:00.000Z');
    // Christmas Day and Boxing Day (substitute day, Monday 28th) are not working days.
    expect(publicationWindowEnd({ ...DEFAULT_POLICY, publicationWindow: { unit: 'workingDays', days: 5 } }, '2020-12-21T12:00:00Z')).toBe('2020-12-30T09:30:00.000Z');
    expect(publicationWindowEnd({ ...DEFAULT_POLICY, publicationWindow: { unit: 'workingDays', days: 0 } }, '2020-12-21T12:00:00Z')).toBeNull();
  });

  test('round.yaml: policy.publicationWindow, checked like the after of a step', () => {
    expect(parsePolicy({ publicationWindow: '10 working days' }).publicationWindow).toEqual({ unit: 'workingDays', days: 10 });
    expect(parsePolicy({ publicationWindow: '2 minutes' }).publicationWindow).toEqual({ unit: 'duration', ms: 120_000 });
    expect(() => parsePolicy({ publicationWindow: 'forever' })).toThrow("policy.publicationWindow: expected e.g. '20 working days' or '2 minutes', got 'forever'");
    // A letter started with a malformed one (not through round.yaml) needs attention instead of failing.
    const l = new Letter(letterInput({ policy: { ...SHORT_POLICY, publicationWindow: { unit: 'weeks' } as never } }), '2026-01-05T10:00:00Z');
    expect(l.status().attention).toMatch(/policy\.publicationWindow: expected/);
  });

  test('a new run of the letter (continue-as-new) keeps the window and never reopens a closed one', () => {
    const l = new Letter(letterInput({ policy: windowOf(10 * MINUTE) }), '2026-01-05T10:00:00Z');
    l.letterSent('2026-01-05T10:00:00Z');
    l.recordReceipt({ documents: l.input.documents }, '2026-01-05T11:00:00Z');
    l.openPublicationWindow('2026-01-05T11:00:00Z');
    const next = new Letter(l.input, '2026-01-05T11:05:00Z', l.carry());
    expect(next.status().publicationOpenUntil).toBe('2026-01-05T11:10:00.000Z');
    next.openPublicationWindow('2026-01-05T11:05:00Z');
    expect(next.publicationUntil).toBe('2026-01-05T11:10:00.000Z');
    next.publicationWindowEnded();
    const after = new Letter(next.input, '2026-01-05T11:20:00Z', next.carry());
    expect(after.publicationWindowApplies).toBe(false);
  });
});

describe('the letter workflow', () => {
  test('a complete letter takes publication changes during its window, restarted by each, then completes as complete', async () => {
    const handle = await startLetter(world.env, { documents: ['problemProfile', 'responseStrategy'], policy: windowOf(10 * MINUTE) });
    await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile', 'responseStrategy'] }] });
    let s = await handle.query(api.status);
    expect(s.state).toBe('complete');
    const completedAt = Date.parse(s.timeline.at(-1)!.at);
    expect(Date.parse(s.publicationOpenUntil!) - completedAt).toBe(10 * MINUTE);
    expect(await executionStatus(handle)).toBe('RUNNING');

    // Only publication changes are accepted, and a refusal changes nothing.
    expect(await rejection(handle.executeUpdate(api.addNote, { args: [{ text: 'too late' }] }))).toMatch(
      /^the letter is complete; until \S+ it accepts only publication changes \(attachDocument, setPublication, closeLetter\)$/,
    );
    expect(await rejection(handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] }))).toMatch(/the letter is complete; nothing more can be recorded/);

    await world.env.sleep(6 * MINUTE);
    s = await handle.executeUpdate(api.attachDocument, { args: [{ document: 'problemProfile', file, by: 'Sam' }] });
    expect(s.state).toBe('complete');
    expect(Date.parse(s.publicationOpenUntil!)).toBe(Date.parse(s.timeline.at(-1)!.at) + 10 * MINUTE); // restarted
    await world.env.sleep(6 * MINUTE); // past the first end: still open
    expect(await executionStatus(handle)).toBe('RUNNING');
    await handle.executeUpdate(api.setPublication, { args: [{ attachment: 'd1', publish: true, by: 'Sam' }] });

    await world.env.sleep(11 * MINUTE);
    expect(await executionStatus(handle)).toBe('COMPLETED');
    const final = await handle.result();
    expect(final.state).toBe('complete');
    expect(final.publicationOpenUntil).toBeUndefined();
    expect(final.attachments).toEqual([expect.objectContaining({ id: 'd1', publish: true })]);
    expect(final.timeline.map((e) => e.kind)).toEqual(['recorded-sent', 'receipt', 'complete', 'document', 'publication']);
    await recordHistory(handle, 'letter-publish-window');
  });

  test('closeLetter ends a declined letter\'s window at once; it is refused while a letter is still going on', async () => {
    const handle = await startLetter(world.env, { policy: windowOf(60 * MINUTE) });
    expect(await rejection(handle.executeUpdate(api.closeLetter, { args: [{}] }))).toBe(
      'the letter is awaiting, still going on; closeLetter ends the publication window of a finished letter (to stop a letter, withdraw it)',
    );
    await handle.executeUpdate(api.recordDecline, { args: [{ reason: 'Not held', by: 'Sam' }] });
    await handle.executeUpdate(api.setPublication, { args: [{ declineReasonOf: 'problemProfile', publish: true, by: 'Sam' }] });
    const closed = await handle.executeUpdate(api.closeLetter, { args: [{ by: 'Lee', reason: 'round published' }] });
    expect(closed.timeline.at(-1)).toMatchObject({ kind: 'publication', by: 'Lee', note: 'round published', message: 'closed: no more publication changes' });
    const final = await handle.result();
    expect(final.state).toBe('declined');
    expect(final.publishedDeclineReasons).toEqual(['problemProfile']);
    const d = await handle.describe();
    expect(d.closeTime!.getTime() - Date.parse(closed.timeline.at(-1)!.at)).toBeLessThan(MINUTE); // not the hour's window
  });

  test.each([
    ['a window of 0 working days', { policy: { ...SHORT_POLICY, publicationWindow: { unit: 'workingDays', days: 0 } } }, api.recordReceipt, { documents: ['problemProfile', 'responseStrategy', 'deliveryUpdate'] }],
    ['a withdrawn letter', { policy: windowOf(60 * MINUTE) }, api.withdraw, { reason: 'sent in error' }],
  ] as const)('%s: the workflow completes when the letter ends, as before', async (_what, overrides, update, payload) => {
    const handle = await startLetter(world.env, overrides as never);
    const s = await handle.executeUpdate(update as never, { args: [payload] });
    const final = await handle.result();
    expect(final.publicationOpenUntil).toBeUndefined();
    const ended = Date.parse((s as { timeline: { at: string }[] }).timeline.at(-1)!.at);
    expect((await handle.describe()).closeTime!.getTime() - ended).toBeLessThan(MINUTE);
  });
});
