// Issue 16 on a local dev server (the fan-out reads visibility, which the time-skipping server
// lacks; the letters' steps are in 2027, so the real clock fires none of them): a closure reaches exactly the open letters whose
// remaining steps count across it (through `rounds calendar close`, each letter by its own
// update); and a worker with a regenerated bank holiday table does not move planned dates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { addWorkingDays, holidayTableFrom } from '../domain/calendar';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { planSteps } from '../domain/schedule';
import type { LetterInput } from '../domain/types';
import { startLetters } from '../client/letters';
import { listLetters, queries } from '../client/queries';
import * as api from '../workflows/letter-api';
import { roundsOn } from './support/cli';
import { BUNDLE_OPTIONS } from '../worker/bundle';
import { createLetterWorker } from '../worker/worker';
import { devServerEnv } from './support/browser';
import { letterInput, mailSink, withLetterWorker, workflowBundle } from './support/temporal';
import { eventually } from '../worker/dev/wait';

jest.setTimeout(180_000);
const world = withLetterWorker(mailSink, devServerEnv);
const run = (args: string[]) => roundsOn(world.env, args);

const kept: Policy = { ...DEFAULT_POLICY, holidays: holidayTableFrom(2027) };
const CLOSED = ['2027-04-12', '2027-04-13', '2027-04-14', '2027-04-15', '2027-04-16'];
const dues = (s: { steps: { dueAt: string }[] }) => s.steps.map((x) => x.dueAt);
const query = (id: string) => world.env.client.workflow.getHandle(id).query(api.status);

test('a closure added while 50 letters are open moves exactly those whose remaining steps count across it, by the closed working days', async () => {
  const round = `close-${process.pid}-${Date.now().toString(36)}`;
  // Letters counted as sent every other working day from 4 January 2027: the first end before
  // the closure, the last start after it, those between cross it with some or all of their steps.
  const inputs: LetterInput[] = Array.from({ length: 50 }, (_, i) => {
    const sentOn = addWorkingDays('2027-01-04', i * 2);
    return letterInput({ roundId: round, letterId: `l${i}`, letterDate: sentOn, sentOn, policy: kept });
  });
  const otherInput = letterInput({ roundId: `${round}-other`, letterId: 'x', letterDate: '2027-03-01', sentOn: '2027-03-01', policy: kept });
  await startLetters(world.env.client, [...inputs, otherInput]); // as `rounds start` does: search attributes and memo
  const other = world.env.client.workflow.getHandle(api.workflowIdFor(otherInput.roundId, 'x'));
  const before = await Promise.all(inputs.map((i) => query(api.workflowIdFor(round, i.letterId))));
  const otherBefore = await other.query(api.status);

  // Visibility is eventually consistent: wait until it lists all 50.
  const dry = await eventually(async () => {
    const d = await run(['calendar', 'close', '2027-04-12', '2027-04-16', '--reason', 'office closed', '--round', round, '--dry-run']);
    return d.out.includes('50 open letters') && d;
  });
  expect(dry.err).toBe('');
  expect(dry.out).toContain('dry run: the closure would go to 50 open letters; nothing was changed');
  // Each letter says what would move (or that nothing would), as its timeline will after.
  expect(dry.out).toContain(`  would change ${round}/l0: closed from Monday 12 April 2027 to Friday 16 April 2027: no remaining step moved`);
  expect(dry.out).toMatch(new RegExp(`  would change ${round}/l30: closed from Monday 12 April 2027 to Friday 16 April 2027: chase 1 moved from .*: office closed`));
  expect((await Promise.all(inputs.map((i) => query(api.workflowIdFor(round, i.letterId))))).map(dues)).toEqual(before.map(dues));

  // An earlier run was interrupted after reaching 10 letters: those 10 already have the closure.
  const payload = { from: '2027-04-12', to: '2027-04-16', reason: 'office closed' };
  await Promise.all(inputs.slice(0, 10).map((i) => world.env.client.workflow.getHandle(api.workflowIdFor(round, i.letterId)).executeUpdate(api.changeCalendar, { args: [payload] })));
  const r = await run(['calendar', 'close', '2027-04-12', '2027-04-16', '--reason', 'office closed', '--round', round]);
  expect(r.err).toContain('rounds: the closure goes to 50 open letters');
  expect(r.err).toContain('rounds: 25/50 letters (');
  expect(r.err).toContain('rounds: 50/50 letters (40 changed, 10 unchanged, 0 refused)');
  expect(r.code).toBe(0);
  expect(r.out).toContain('40 changed, 0 refused, 10 unchanged (they already had it)');
  expect(r.out).toContain(`unchanged ${round}/l0: the letter is already closed from Monday 12 April 2027 to Friday 16 April 2027; nothing to change`);
  expect(r.out).toContain(`changed  ${round}/l10: `);

  let moved = 0;
  for (const [i, input] of inputs.entries()) {
    const s = await query(api.workflowIdFor(round, input.letterId));
    // Worked out independently: the policy's steps counted from sent-on with the closure as round closures.
    const expected = planSteps({ ...kept, closures: CLOSED }, { sentOn: input.sentOn, sentAt: input.sentOn }).map((x) => x.dueAt);
    expect(dues(s)).toEqual(expected);
    const last = s.timeline.at(-1)!;
    expect(last).toMatchObject({ kind: 'calendar', note: 'office closed' });
    if (JSON.stringify(dues(s)) === JSON.stringify(dues(before[i]))) {
      expect(last.message).toBe('closed from Monday 12 April 2027 to Friday 16 April 2027: no remaining step moved');
    } else {
      moved++;
      expect(last.message).toMatch(/moved from .* to .*: office closed$/);
      // Each step that moved, moved by the closed working days it counted across.
      for (const [k, step] of s.steps.entries()) {
        const old = before[i].steps[k].dueAt.slice(0, 10);
        const crossed = CLOSED.filter((d) => d > input.sentOn && d <= old).length;
        expect(step.dueAt.slice(0, 10)).toBe(addWorkingDays(old, crossed, { closures: CLOSED, holidays: kept.holidays }));
      }
      expect(s.explanations!.some((e) => e.skipped.some((d) => / April 2027, closed: office closed$/.test(d.label)))).toBe(true);
    }
  }
  // Some of each kind, or the test proves little.
  expect(moved).toBeGreaterThan(10);
  expect(moved).toBeLessThan(50);
  // Run again (resumed after an interruption, or twice by mistake): nothing moves twice, nothing is added.
  const after = await Promise.all(inputs.map((i) => query(api.workflowIdFor(round, i.letterId))));
  const again = await run(['calendar', 'close', '2027-04-12', '2027-04-16', '--reason', 'office closed', '--round', round, '--json']);
  expect(again.code).toBe(0);
  const report = JSON.parse(again.out) as { workflowId: string; ok: boolean; unchanged?: boolean }[];
  expect(report).toHaveLength(50);
  expect(report.every((o) => o.ok && o.unchanged)).toBe(true);
  expect(await Promise.all(inputs.map((i) => query(api.workflowIdFor(round, i.letterId))))).toEqual(after);
  // Another round's letter was not told.
  expect(await other.query(api.status)).toEqual(otherBefore);
});

test('calendar close refuses bad dates before anything is sent', async () => {
  const r = await run(['calendar', 'close', '2027-02-30', '--reason', 'x']);
  expect(r.code).toBe(1);
  expect(r.err).toContain("<from>: '2027-02-30' is not a date (February 2027 has 28 days)");
  const noReason = await run(['calendar', 'close', '2027-02-01']);
  expect(noReason.err).toContain('--reason: say why');
  // Beyond the bank holiday table's last year: refused once, not by every letter.
  const beyond = await run(['calendar', 'close', '2035-12-01', '2036-01-09', '--reason', 'x']);
  expect(beyond.code).toBe(1);
  expect(beyond.err).toContain('<to>: 2036-01-09 is outside the working-day calendar (England and Wales bank holidays, 2015 to 2035); no letter can have a step there');
});

test("the table's end: a closure that would push a letter's steps past 2035 is refused by that letter (reported, unchanged) and the others go on", async () => {
  const round = `end-${process.pid}-${Date.now().toString(36)}`;
  const late = letterInput({ roundId: round, letterId: 'late', letterDate: '2035-09-03', sentOn: '2035-09-03', policy: kept }); // chase 1 on Monday 1 October 2035
  const early = letterInput({ roundId: round, letterId: 'early', letterDate: '2035-06-01', sentOn: '2035-06-01', policy: kept }); // every step before October
  await startLetters(world.env.client, [late, early]);
  const lateBefore = await query(api.workflowIdFor(round, 'late'));
  const dry = await eventually(async () => {
    const d = await run(['calendar', 'close', '2035-10-01', '2035-12-31', '--reason', 'x', '--round', round, '--dry-run']);
    return d.out.includes('2 open letters') && d;
  });
  expect(dry.out).toMatch(new RegExp(`  WOULD REFUSE ${round}/late: the remaining steps cannot be planned on the new calendar: .*2035-12-31`));
  expect(dry.out).toContain(`  would change ${round}/early: closed from Monday 1 October 2035 to Monday 31 December 2035: no remaining step moved`);
  const r = await run(['calendar', 'close', '2035-10-01', '2035-12-31', '--reason', 'pre-election period', '--round', round]);
  expect(r.code).toBe(1);
  expect(r.err).toContain('rounds: 2/2 letters (1 changed, 0 unchanged, 1 refused)');
  expect(r.out).toMatch(
    new RegExp(`REFUSED  ${round}/late: the remaining steps cannot be planned on the new calendar: .*runs past the end of the England and Wales holiday table \\(2035-12-31\\)`),
  );
  expect(r.out).toContain(`changed  ${round}/early: closed from Monday 1 October 2035 to Monday 31 December 2035: no remaining step moved`);
  expect(r.out).toContain('1 changed, 1 refused');
  expect(await query(api.workflowIdFor(round, 'late'))).toEqual(lateBefore);
});

test('a worker with a regenerated bank holiday table does not move the dates of a letter already planned; the new table is adopted by message', async () => {
  // The regenerated table: the real one and a one-off bank holiday on Monday 15 February 2027.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-table-'));
  const table = path.join(dir, 'bank-holidays.js');
  const { BANK_HOLIDAYS, BANK_HOLIDAY_YEARS } = await import('../domain/calendar/bank-holidays');
  const regenerated = [...BANK_HOLIDAYS, ['2027-02-15', 'One-off bank holiday']].sort((a, b) => a[0].localeCompare(b[0]));
  fs.writeFileSync(table, `export const BANK_HOLIDAY_YEARS = ${JSON.stringify(BANK_HOLIDAY_YEARS)};\nexport const BANK_HOLIDAYS = ${JSON.stringify(regenerated)};\n`);
  const newRelease = await bundleWorkflowCode({
    ...BUNDLE_OPTIONS,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
    // The calendar's './bank-holidays' resolves to this absolute path, which the alias replaces.
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string>), [path.resolve(__dirname, '..', 'domain', 'calendar', 'bank-holidays')]: table } },
    }),
  });

  const taskQueue = `table-${process.pid}-${Date.now().toString(36)}`;
  const start = (letterId: string, policy: Policy) => {
    const input = letterInput({ letterId, letterDate: '2027-01-11', sentOn: '2027-01-11', policy });
    return world.env.client.workflow.start('letter', { taskQueue, workflowId: api.workflowIdFor(input.roundId, letterId), args: [input] });
  };
  const worker = async (workflowBundle?: { code: string }) => {
    const w = await createLetterWorker({ connection: world.env.nativeConnection, namespace: world.env.namespace ?? 'default', email: { smtpUrl: world.sink.url }, taskQueue, ...(workflowBundle ? { workflowBundle } : {}) });
    const running = w.worker.run();
    return async () => {
      w.worker.shutdown();
      await running;
      w.close();
    };
  };

  // Today's release plans the letter: chase 2 is 30 working days after Monday 11 January, Monday 22 February.
  const stopOld = await worker(await workflowBundle());
  const planned = await start('planned', kept);
  const before = await planned.query(api.status);
  expect(before.steps[1].dueAt).toBe('2027-02-22T09:30:00.000Z');
  await stopOld();

  // The new release replays the letter's history (a fresh worker has nothing cached) and answers.
  const stopNew = await worker(newRelease);
  try {
    const after = await planned.query(api.status);
    expect(dues(after)).toEqual(dues(before));
    // The new release does use its table: a letter started on it counts the new holiday.
    const fresh = await start('fresh', DEFAULT_POLICY);
    expect((await fresh.query(api.status)).steps[1].dueAt).toBe('2027-02-23T09:30:00.000Z');
    // Told through the explicit message, the running letter adopts the new table and says what moved.
    const adopted = await planned.executeUpdate(api.changeCalendar, { args: [{ holidays: regenerated.map(([d, n]) => [d, n] as [string, string]), reason: 'bank holiday table of the new release' }] });
    expect(adopted.steps[1].dueAt).toBe('2027-02-23T09:30:00.000Z');
    expect(adopted.timeline.at(-1)!.message).toMatch(/^new bank holiday table: chase 2 moved from Monday 22 February 2027 to Tuesday 23 February 2027; .*: bank holiday table of the new release$/);
    await Promise.all([planned, fresh].map((h) => h.terminate('test over')));
  } finally {
    await stopNew();
  }
});

test('round-wide extend: --dry-run changes nothing; then each letter is changed by its own update, refusals reported and the rest go on', async () => {
  const round = `bulk-${process.pid}-${Date.now().toString(36)}`;
  const inputs = ['a', 'b', 'c', 'd'].map((letterId) => letterInput({ roundId: round, letterId, letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept }));
  await startLetters(world.env.client, inputs);
  const h = (l: string) => world.env.client.workflow.getHandle(api.workflowIdFor(round, l));
  await h('c').executeUpdate(api.recordReceipt, { args: [{ documents: inputs[2].documents }] }); // complete
  await h('d').executeUpdate(api.withdraw, { args: [{ reason: 'sent in error' }] });
  const before = await Promise.all(['a', 'b'].map((l) => h(l).query(api.status)));

  const dry = await eventually(async () => {
    const d = await run(['extend', '--round', round, '--working-days', '10', '--reason', 'pre-election period', '--dry-run']);
    return d.out.includes('would extend by 10 working days 4 letters') && d.out.includes('/c (complete)') && d.out.includes('/d (withdrawn)') && d;
  });
  expect(dry.out).toContain(`${round}/c (complete)`);
  expect((await Promise.all(['a', 'b'].map((l) => h(l).query(api.status)))).map(dues)).toEqual(before.map(dues));

  const r = await run(['extend', '--round', round, '--working-days', '10', '--reason', 'pre-election period']);
  expect(r.code).toBe(1); // some refused
  expect(r.out).toContain(`changed  ${round}/a: awaiting; next chase at`);
  expect(r.out).toContain(`changed  ${round}/b: awaiting; next chase at`);
  expect(r.out).toMatch(new RegExp(`REFUSED  ${round}/c: the letter is complete; nothing more can be changed on it`));
  expect(r.out).toMatch(new RegExp(`REFUSED  ${round}/d: the letter is withdrawn; nothing more can be changed on it`));
  expect(r.out).toContain('2 changed, 2 refused');
  for (const [i, l] of ['a', 'b'].entries()) {
    const s = await h(l).query(api.status);
    expect(s.steps[0].dueAt).toBe(`${addWorkingDays(before[i].steps[0].dueAt.slice(0, 10), 10, { holidays: kept.holidays })}T09:30:00.000Z`);
    expect(s.timeline.at(-1)).toMatchObject({ kind: 'extension', note: 'pre-election period' });
  }

  // A selection narrowed by state, and a note for all of them; one letter's note as before.
  const notes = await run(['note', '--round', round, '--state', 'awaiting', 'spoke', 'to', 'the', 'office']);
  expect(notes.out).toContain('2 changed, 0 refused');
  expect((await h('a').query(api.status)).timeline.at(-1)).toMatchObject({ kind: 'note', note: 'spoke to the office' });
  const one = await run(['note', `${round}/b`, 'just', 'this', 'one']);
  expect(one.out).toBe(`${round}/b: note added\n`);
  const both = await run(['pause', `${round}/b`, '--round', round]);
  expect(both.err).toContain('give one letter id, or a selection');
});

test('rounds stats reads the registers (visibility and memos): a letter answered in full, one partly, one declined', async () => {
  const round = `stats-${process.pid}-${Date.now().toString(36)}`;
  const inputs = ['a', 'b', 'c'].map((letterId) => letterInput({ roundId: round, letterId, letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept, recipient: { ...letterInput().recipient, organisation: `Org ${letterId}` } }));
  await startLetters(world.env.client, inputs);
  const h = (l: string) => world.env.client.workflow.getHandle(api.workflowIdFor(round, l));
  // The server's clock is today's: receipts dated today count from 11 January 2027 as 0 working days.
  await h('a').executeUpdate(api.recordReceipt, { args: [{ documents: inputs[0].documents }] });
  await h('b').executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] });
  await h('c').executeUpdate(api.recordDecline, { args: [{ reason: 'not held' }] });
  const r = await eventually(async () => {
    const x = await run(['stats', '--round', round, '--json']);
    const stats = x.code === 0 ? JSON.parse(x.out) : undefined;
    return stats?.rounds[0]?.answeredInFull === 1 && stats.rounds[0].declined === 1 && stats;
  });
  expect(r.rounds[0]).toMatchObject({ group: round, letters: 3, answeredInFull: 1, answeredInPart: 1, declined: 1, unanswered: 0, chases: 0, overdueNow: 0 });
  expect(r.organisations.map((o: { group: string }) => o.group)).toEqual(['Org a', 'Org b', 'Org c']);
  const csv = await run(['stats', '--round', round, '--csv']);
  expect(csv.out.split('\n')[1]).toMatch(new RegExp(`^round,${round},3,1,1,1,0,0,`));
});

test('a letter with 3,000 notes continues as new when Temporal suggests it: history bounded, state, timeline and register intact', async () => {
  const input = letterInput({ roundId: `notes-${process.pid}-${Date.now().toString(36)}`, letterId: 'many', letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept });
  await startLetters(world.env.client, [input]);
  const handle = world.env.client.workflow.getHandle(api.workflowIdFor(input.roundId, 'many'));
  const firstRun = (await handle.describe()).runId;
  const before = await handle.query(api.status);
  await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => { // (a workflow takes at most 10 updates in flight)
      while (next < 3000) {
        const n = next++;
        await handle.executeUpdate(api.addNote, { args: [{ text: `note ${n}` }] });
      }
    }),
  );
  const d = await handle.describe();
  expect(d.runId).not.toBe(firstRun); // it continued as new at least once
  expect(d.historyLength).toBeLessThan(10_000); // the current run's history stays bounded
  const s = await handle.query(api.status);
  expect(s.steps).toEqual(before.steps);
  expect(s.documents.problemProfile?.receivedOn).toBeDefined();
  expect(s.state).toBe('partial');
  // 1 recorded-sent + 1 receipt + 3,000 notes: the first 20 and last 100 kept, the rest counted.
  expect(s.timeline).toHaveLength(121);
  expect(s.timeline[20]).toMatchObject({ kind: 'omitted', message: expect.stringContaining('2882 entries omitted') });
  expect(new Set(s.timeline.filter((e) => e.kind === 'note').map((e) => e.note)).size).toBe(118);
  expect(s.timeline.at(-1)?.kind).toBe('note');
  // The register still lists it with its memo and state.
  const row = await eventually(async () => (await listLetters(world.env.client, queries.roundLetters(input.roundId)))[0]);
  expect(row).toMatchObject({ state: 'partial', recipient: { name: input.recipient.name }, executionStatus: 'RUNNING' });
});

test('a corrected contact for an organisation across open rounds: --dry-run changes nothing; each open letter changed by its own update and says so; run again, nothing changes', async () => {
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const org = `Kent PCC ${tag}`;
  const to = (organisation: string) => ({ ...letterInput().recipient, organisation });
  const inputs = [
    letterInput({ roundId: `contact-a-${tag}`, letterId: 'kent', letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept, recipient: to(org) }),
    letterInput({ roundId: `contact-b-${tag}`, letterId: 'kent', letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept, recipient: to(org.toUpperCase()) }),
    letterInput({ roundId: `contact-b-${tag}`, letterId: 'kent-done', letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept, recipient: to(org) }),
    letterInput({ roundId: `contact-a-${tag}`, letterId: 'essex', letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept, recipient: to(`Essex PCC ${tag}`) }),
  ];
  await startLetters(world.env.client, inputs);
  const h = (i: LetterInput) => world.env.client.workflow.getHandle(api.workflowIdFor(i.roundId, i.letterId));
  await h(inputs[2]).executeUpdate(api.withdraw, { args: [{ reason: 'sent in error' }] });
  const before = await Promise.all(inputs.map((i) => h(i).query(api.status)));
  const args = ['correct-address', '--organisation', org, '--email', 'pcc@kent.example.org', '--escalate-to', 'ceo@kent.example.org', '--reason', 'new office'];

  const dry = await eventually(async () => {
    const d = await run([...args, '--dry-run']);
    return d.out.includes('2 letters') && d;
  });
  expect(dry.out).toContain('dry run: would set email pcc@kent.example.org; escalations to ceo@kent.example.org on 2 letters; nothing was changed');
  expect(dry.out).toContain(`contact-a-${tag}/kent (awaiting`);
  expect(dry.out).toContain(`contact-b-${tag}/kent (awaiting`);
  expect(dry.err).toContain('1 finished letter of the selection left as they are');
  expect(await Promise.all(inputs.map((i) => h(i).query(api.status)))).toEqual(before);

  const r = await run(args);
  expect(r.code).toBe(0);
  expect(r.out).toContain('2 changed, 0 refused');
  for (const i of inputs.slice(0, 2)) {
    const s = await h(i).query(api.status);
    expect(s.steps).toEqual(before[0].steps); // the dates stay
    expect(s.timeline.at(-1)).toMatchObject({
      kind: 'address-corrected',
      note: 'new office',
      message: 'contact corrected: the next email goes to pcc@kent.example.org; cc office@avon-and-somerset.example.org; escalations to ceo@kent.example.org (was pcc@avon-and-somerset.example.org; cc office@avon-and-somerset.example.org; escalations to chief-executive@avon-and-somerset.example.org)',
    });
  }
  // The withdrawn letter and the other organisation's are untouched.
  expect(await h(inputs[2]).query(api.status)).toEqual(before[2]);
  expect(await h(inputs[3]).query(api.status)).toEqual(before[3]);

  const again = await run(args);
  expect(again.code).toBe(0);
  expect(again.out).toContain('0 changed, 0 refused, 2 unchanged (they already had it)');
  expect((await h(inputs[0]).query(api.status)).timeline).toHaveLength(before[0].timeline.length + 1);

  // One letter, as before; a bad address is refused with the field named, and changes nothing.
  const bad = await run(['correct-address', api.workflowIdFor(inputs[3].roundId, 'essex'), '--email', 'not an address']);
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/email: expected an email address/);
  expect(await h(inputs[3]).query(api.status)).toEqual(before[3]);
});
