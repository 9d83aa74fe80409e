// Nothing starts that cannot run, and no letter ever wedges (issue 11): random round.yaml,
// recipients.csv, policies and `--sent-on` values go through `rounds check` and `rounds start`
// (the CLI's own main(), against a time-skipping server with a worker). Either the round is
// refused with a clear message (exit 1, no "unexpected error", no stack), or every letter
// started answers `status` with a next action, a final state, or needs-attention with a reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { FINAL_STATES } from '../domain/states';
import * as api from '../workflows/letter-api';
import { roundsInProcess } from './support/cli';
import { withLetterWorker } from './support/temporal';

const world = withLetterWorker();

const run = roundsInProcess;

// ---- the inputs: mostly plausible, often wrong ----

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const dateIn = (min: number, max: number) =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(
    ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  );
const date = fc.oneof(
  { arbitrary: dateIn(2016, 2025), weight: 6 },
  { arbitrary: dateIn(2008, 2042), weight: 2 },
  { arbitrary: pick('2020-02-30', '2021-02-29', '2020-13-01', '2035-12-31', '2014-06-02', '2099-01-05', 'yesterday', '13/10/2020', ''), weight: 2 },
);
const maybe = <T>(a: fc.Arbitrary<T>, freq = 2) => fc.option(a, { nil: undefined, freq });
/** Mostly `good`, now and then `bad`. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });
const after = fc.oneof(
  fc.integer({ min: 0, max: 6000 }).map((n) => `${n} working days`),
  fc.integer({ min: 1, max: 120 }).map((n) => `${n} minutes`),
  pick('999999 weeks', '0 minutes', 'soon', '20 wrking days', '1 working day'),
);
const step = fc.record({ after, action: pick('chase', 'chase', 'escalate', 'close', 'shout') });
// A plausible policy: increasing working days or minutes, ending with close.
const goodSteps = fc
  .tuple(pick('working days', 'minutes'), fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 4 }))
  .map(([unit, ns]) => [...ns].sort((a, b) => a - b).map((n, i, all) => ({ after: `${n} ${unit}`, action: i === all.length - 1 ? 'close' : 'chase' })));
const steps = fc.oneof({ arbitrary: goodSteps, weight: 3 }, { arbitrary: fc.array(step, { minLength: 0, maxLength: 5 }), weight: 1 });
const noise = fc.oneof({ arbitrary: pick('', '\u0007', '\u202E', '\u2066', '\u0085', '\t', 'é', '<b>', '"', ','), weight: 30 }, { arbitrary: pick('\r\n'), weight: 1 });
const text = fc.tuple(pick('Alex', 'Bo Beta', 'Sue Mountstevens', 'x'.repeat(300)), noise, noise).map(([a, b, c]) => `${b}${a}${c}`);

const roundYaml = fc.record({
  id: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1e9 }).map((n) => `prop-${n}`), weight: 9 }, { arbitrary: pick('bad id', ''), weight: 1 }),
  letterDate: fc.oneof({ arbitrary: dateIn(2016, 2025), weight: 3 }, { arbitrary: date, weight: 1 }),
  sentOn: maybe(date, 4),
  steps: maybe(steps, 1),
  closures: maybe(fc.array(mostly(dateIn(2016, 2030), date), { maxLength: 3 }), 4),
  timezone: maybe(mostly(pick('Europe/London', 'Pacific/Auckland', 'America/Los_Angeles'), pick('Europe/Londn')), 4),
  sendAt: maybe(mostly(pick('09:30', '23:59', '00:00', '01:30'), pick('9:30', '25:00')), 4),
});
const row = fc.record({
  name: text,
  email: fc.oneof({ arbitrary: pick('a@example.org'), weight: 8 }, { arbitrary: pick('not-an-email', ''), weight: 1 }),
  documents: fc.oneof({ arbitrary: pick('problemProfile', 'responseStrategy;deliveryUpdate'), weight: 8 }, { arbitrary: pick('problemProfil', ''), weight: 1 }),
  letterDate: maybe(date, 6),
  steps: maybe(mostly(pick('20 working days: chase; 60 working days: close', '2 minutes: close'), pick('5000 working days: close', '2 minutes: chase')), 6),
});
const sentOnFlag = maybe(fc.oneof(date, pick('now', 'NOW', '2020-10-13', '2014-06-02', '2099-01-05')), 2);

const q = (s: string) => JSON.stringify(s); // YAML accepts JSON strings, escapes and all

type RoundYaml = typeof roundYaml extends fc.Arbitrary<infer T> ? T : never;
type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

function writeRound(dir: string, y: RoundYaml, rows: Row[]): void {
  const lines = [
    `id: ${q(y.id)}`,
    'title: A random round',
    'subject: "Please send your documents"',
    ...(y.letterDate !== undefined ? [`letterDate: ${q(y.letterDate)}`] : []),
    ...(y.sentOn !== undefined ? [`sentOn: ${q(y.sentOn)}`] : []),
    'sender: { name: Office, email: office@example.org }',
    'coordinator: { name: Casey, email: casey@example.org }',
    'documents: [problemProfile]',
  ];
  if (y.steps || y.closures || y.timezone || y.sendAt) {
    lines.push('policy:');
    if (y.steps) lines.push('  steps:', ...(y.steps.length ? y.steps.map((s) => `    - { after: ${q(s.after)}, action: ${q(s.action)} }`) : ['    []']));
    if (y.closures) lines.push(`  closures: [${y.closures.map(q).join(', ')}]`);
    if (y.timezone) lines.push(`  timezone: ${q(y.timezone)}`);
    if (y.sendAt) lines.push(`  sendAt: ${q(y.sendAt)}`);
  }
  fs.writeFileSync(path.join(dir, 'round.yaml'), `${lines.join('\n')}\n`);
  const cell = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const csv = ['letter,email,name,documents,letterDate,steps', ...rows.map((r, i) => [`l${i}`, r.email, r.name, r.documents, r.letterDate ?? '', r.steps ?? ''].map(cell).join(','))];
  fs.writeFileSync(path.join(dir, 'recipients.csv'), `${csv.join('\n')}\n`);
}

const clear = (s: string) => {
  expect(s).not.toMatch(/unexpected error/i);
  expect(s).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
};

test('random rounds are refused clearly, or every letter they start can go on', async () => {
  const address = (world.env.connection as unknown as { options: { address: string } }).options.address;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'start-property-'));
  let n = 0;
  let started = 0;
  await fc.assert(
    fc.asyncProperty(roundYaml, fc.array(row, { minLength: 1, maxLength: 2 }), sentOnFlag, async (y, rows, sentOn) => {
      const dir = path.join(base, `r${n++}`);
      fs.mkdirSync(dir);
      writeRound(dir, y, rows);
      const check = await run(['check', dir]);
      clear(check.out + check.err);
      expect([0, 1]).toContain(check.code);
      const start = await run(['start', dir, '--address', address, ...(sentOn !== undefined ? ['--sent-on', sentOn] : [])]);
      clear(start.out + start.err);
      if (start.code !== 0) {
        if (process.env.PROPERTY_VERBOSE) console.log(start.err.split('\n')[0], start.out.split('\n').filter((l) => l.startsWith('error')).join('\n'));
        expect(start.code).toBe(1);
        expect(start.err).toMatch(/^rounds: \S/); // says what, in words
        return;
      }
      // What check refused, start refuses: it never starts a round that check calls broken.
      expect(check.code).toBe(0);
      started++;
      for (let i = 0; i < rows.length; i++) {
        const s = await world.env.client.workflow.getHandle(api.workflowIdFor(y.id, `l${i}`)).query(api.status);
        const ok = FINAL_STATES.includes(s.state) || s.nextAction !== null || (s.state === 'needs-attention' && !!s.attention);
        if (!ok) throw new Error(`${y.id}/l${i} is stuck: ${JSON.stringify({ state: s.state, nextAction: s.nextAction, steps: s.steps })}`);
      }
    }),
    { numRuns: 60, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
  );
  // The generators are meant to start some rounds, not only to have them refused.
  expect(started).toBeGreaterThan(0);
}, 120_000);
