// A round through the real `rounds` command against a real Temporal dev server (the
// time-skipping server has no visibility, and `status` is a visibility query).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { letterMemo } from '../client/letter-memo';
import type { LetterRow } from '../client/queries';
import type { MailSink } from '../worker/dev/mail-sink';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { devServerOptions } from '../worker/dev/temporal-binaries';
import * as api from '../workflows/letter-api';
import { rounds } from './support/cli';
import { letterWorker, mailSink } from './support/temporal';

let env: TestWorkflowEnvironment;
let sink: MailSink;
let worker: Worker;
let running: Promise<void>;
let address: string;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal(devServerOptions());
  await ensureSearchAttributes(env.connection, 'default');
  sink = await mailSink();
  ({ worker } = await letterWorker(env, sink));
  running = worker.run();
  address = (env.connection.options as { address: string }).address;
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await sink?.stop();
  await env?.teardown();
});

async function eventually<T>(fn: () => Promise<T>, ok: (t: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('start, status from visibility, receive, show; a second start starts nothing', async () => {
  const a = ['--address', address];
  let r = await rounds([...a, 'start', 'test/fixtures/rounds/small', '--sent-on', 'now']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('round small: started 3 letters\n');
  expect(r.code).toBe(0);

  r = await rounds([...a, 'start', 'test/fixtures/rounds/small', '--sent-on', 'now']);
  expect(r.stdout).toBe('round small: started 0 letters; 3 already started, left as they are\n');

  const status = await eventually(
    () => rounds([...a, 'status', 'small', '--json']).then((x) => JSON.parse(x.stdout) as LetterRow[]),
    (rows) => rows.length === 3 && rows.every((x) => x.nextActionAt !== null),
  );
  expect(status.map((x) => [x.letterId, x.state, x.outstanding])).toEqual([
    ['alpha', 'awaiting', ['problemProfile', 'responseStrategy']],
    ['beta', 'awaiting', ['deliveryUpdate']],
    ['gamma', 'awaiting', ['problemProfile', 'responseStrategy']],
  ]);
  // The memo `start` gave each workflow comes back in the listing: recipients without a query per letter.
  expect(status.map((x) => [x.letterId, x.recipient, x.letterDate, x.requested])).toEqual([
    ['alpha', { name: 'Alex Alpha', role: 'Commissioner', organisation: 'Alpha Office' }, '2020-10-13', ['problemProfile', 'responseStrategy']],
    ['beta', { name: 'Bo Beta', role: 'Commissioner', organisation: 'Beta Office' }, '2020-10-13', ['deliveryUpdate']],
    ['gamma', { name: 'Gee Gamma' }, '2020-10-13', ['problemProfile', 'responseStrategy']],
  ]);

  r = await rounds([...a, 'receive', 'small/alpha', '--doc', 'problemProfile', '--on', '2020-10-20', '--by', 'Staff A']);
  expect(r.stdout).toBe('small/alpha: partial; outstanding: responseStrategy\n');
  expect(r.code).toBe(0);

  // The workflow's progress memo follows, so the register has the date without a query.
  const afterReceipt = await eventually(
    () => rounds([...a, 'status', 'small', '--json']).then((x) => JSON.parse(x.stdout) as LetterRow[]),
    (rows) => rows.find((x) => x.letterId === 'alpha')?.progress?.answered.problemProfile !== undefined,
  );
  expect(afterReceipt.find((x) => x.letterId === 'alpha')?.progress).toMatchObject({ next: 'chase', answered: { problemProfile: { receivedOn: '2020-10-20' } }, chases: 0 });
  r = await rounds([...a, 'status', 'small']);
  // Times as the dashboard writes them, in the office's zone: 'chase Tue 10 Nov 2020 09:30 GMT'.
  expect(r.stdout).toMatch(/^small\/alpha +Alex Alpha \(Alpha Office\) +partial +responseStrategy +chase [A-Z][a-z]{2} \d\d? [A-Z][a-z]{2} \d{4} \d\d:\d\d (GMT|BST)$/m);
  expect(r.stdout).toMatch(/^small\/gamma +Gee Gamma +awaiting/m);

  r = await rounds([...a, 'receive', 'small/alpha', '--doc', 'responseStrategy', '--on', '2020-01-01']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe("rounds: small/alpha: receivedOn: 2020-01-01 is before the letter's date, 2020-10-13\n");

  r = await rounds([...a, 'show', 'small/alpha', '--json']);
  const shown = JSON.parse(r.stdout);
  expect(shown.state).toBe('partial');
  expect(shown.documents.problemProfile).toEqual({ requested: true, receivedOn: '2020-10-20', receivedBy: 'Staff A' });

  const after = await eventually(
    () => rounds([...a, 'status', 'small', '--json']).then((x) => JSON.parse(x.stdout) as { letterId: string; state: string }[]),
    (rows) => rows.find((x) => x.letterId === 'alpha')?.state === 'partial',
  );
  expect(after.find((x) => x.letterId === 'alpha')!.state).toBe('partial');

  // Named visibility queries: letters in a state, and what is overdue (nothing yet: the chases are 2 minutes away).
  r = await rounds([...a, 'status', 'small', '--state', 'partial', '--json']);
  expect(JSON.parse(r.stdout).map((x: { letterId: string }) => x.letterId)).toEqual(['alpha']);
  r = await rounds([...a, 'status', 'small', '--overdue', '--json']);
  expect(JSON.parse(r.stdout)).toEqual([]);
  // Nothing matched: it says what was asked, not "no letters in this round".
  r = await rounds([...a, 'status', 'small', '--overdue']);
  expect(r.stdout).toBe('no overdue letters in round small (visibility may take a second to catch up).\n');
  expect(r.code).toBe(0);
  r = await rounds([...a, 'status', '--state', 'declined']);
  expect(r.stdout).toBe('no letters in state declined (visibility may take a second to catch up).\n');
  // A letter whose next action is past due (on a task queue no worker polls, so nothing acts on it).
  await env.client.workflow.start('letter', {
    taskQueue: 'no-worker-polls-this',
    workflowId: 'small/overdue-one',
    args: [],
    // A name that would retitle the terminal (OSC ... BEL), return to the line's start and reverse the text.
    memo: letterMemo({ recipient: { name: 'Evil\x1b]0;pwned\x07\rFAKE\u202eeman', email: 'e@example.org', cc: [], escalateTo: [] }, letterDate: '2020-10-13', documents: ['responseStrategy'] }),
    typedSearchAttributes: [
      { key: api.RoundId, value: 'small' },
      { key: api.LetterState, value: 'chased' },
      { key: api.NextActionAt, value: new Date(Date.now() - 3_600_000) },
      { key: api.Outstanding, value: ['responseStrategy'] },
    ],
  });
  const overdue = await eventually(
    () => rounds([...a, 'status', 'small', '--overdue', '--json']).then((x) => JSON.parse(x.stdout) as LetterRow[]),
    (rows) => rows.length > 0,
  );
  expect(overdue.map((x) => x.workflowId)).toEqual(['small/overdue-one']);
  // JSON keeps the name as it is (JSON.stringify escapes the controls); the table shows them as escapes.
  expect(overdue[0].recipient?.name).toBe('Evil\x1b]0;pwned\x07\rFAKE\u202eeman');
  r = await rounds([...a, 'status', 'small']);
  expect(r.stdout.split('\n')[2]).toMatch(/^small\/overdue-one\s+Evil\\x1b\]0;pwned\\x07\\x0dFAKE\\u202eeman\s+chased\s+responseStrategy\s+(\S+ ){5}\S+\s+OVERDUE$/);
  expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);

  r = await rounds([...a, 'status', 'small', '--state', 'lost']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("rounds: --state: 'lost' is not a letter state (expected one of awaiting, partial, chased");

  r = await rounds([...a, 'status']);
  expect(r.stdout).toMatch(/^small\s+4\s+1\s+/m);

  r = await rounds([...a, 'show', 'small/nobody']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("rounds: no letter with id 'small/nobody'");
});
