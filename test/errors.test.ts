// Every error class in one module (domain/errors.ts), two kinds with their exit codes, and the
// CLI's one handler (client/cli.ts exitCode) mapping any of them to its code and message.
import { PassThrough } from 'node:stream';
import { exitCode } from '../client/cli';
import * as errors from '../domain/errors';
import {
  AlreadyAppliedError,
  AlreadyAppliedUserError,
  CalendarError,
  ChromiumMissingError,
  ExitError,
  HeaderInjectionError,
  LetterRuleError,
  MissingBinaryError,
  MissingDocumentError,
  NamespaceNotReadyError,
  NotFoundError,
  PolicyError,
  RoundsError,
  ScheduleError,
  SentOnError,
  SystemError,
  TemporalUnreachableError,
  UserError,
} from '../domain/errors';

const userErrors = [
  new NotFoundError("no letter with id 'vru-2020/nobody' (ids look like <roundId>/<letterId>; see `rounds status`)"),
  new PolicyError('policy.steps[0].after', "expected e.g. '20 working days'"),
  new CalendarError("'2021-02-29' is not a date (February 2021 has 28 days)"),
  new ScheduleError('step 3 falls after the calendar ends', 2),
  new SentOnError('2020-10-12 is before the letter’s date'),
  new LetterRuleError('receivedOn: 2030-01-01 is in the future'),
  new HeaderInjectionError('recipient name: a line break is not allowed in an email header'),
  new AlreadyAppliedError('the letter already has the closure 2027-01-04 to 2027-01-08'),
  new AlreadyAppliedUserError('vru-2020/kent: already has the closure 2027-01-04 to 2027-01-08'),
];
const systemErrors = [
  new TemporalUnreachableError('cannot reach Temporal at localhost:7233'),
  new NamespaceNotReadyError("namespace 'rounds' has no search attribute RoundId: run `rounds setup`"),
  new MissingBinaryError('TEMPORAL_CLI_PATH is set to /nowhere, which is not an executable file'),
  new MissingDocumentError('ab'.repeat(32), '/var/documents'),
  new ChromiumMissingError('Chromium is not installed at /usr/bin/chromium: install it'),
];

function handle(e: unknown): { code: number; said: string } {
  const stream = new PassThrough();
  let said = '';
  stream.on('data', (d) => (said += d));
  const code = exitCode(e, stream);
  return { code, said };
}

describe('the classes', () => {
  test.each(userErrors.map((e) => [e.name, e] as const))('%s is a person’s mistake (exit 1)', (_name, e) => {
    expect(e).toBeInstanceOf(UserError);
    expect(e).toBeInstanceOf(RoundsError);
    expect(e).not.toBeInstanceOf(SystemError);
    expect(e.exitCode).toBe(1);
    expect(e.name).toBe(e.constructor.name);
  });

  test.each(systemErrors.map((e) => [e.name, e] as const))('%s is the system’s (exit 2)', (_name, e) => {
    expect(e).toBeInstanceOf(SystemError);
    expect(e).not.toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(2);
    expect(e.name).toBe(e.constructor.name);
  });

  test('every class the module exports is a RoundsError with its own name, and each kind above is tested here', () => {
    const classes = Object.values(errors).filter((v) => typeof v === 'function');
    for (const cls of classes) expect(cls === RoundsError || cls.prototype instanceof RoundsError).toBe(true);
    const kinds = new Set<unknown>([RoundsError, UserError, SystemError, ExitError]);
    expect(new Set([...userErrors, ...systemErrors].map((e) => e.constructor.name))).toEqual(new Set(classes.filter((c) => !kinds.has(c)).map((c) => c.name)));
  });

  test('the fields code reads stay', () => {
    expect(new PolicyError('policy.steps[1].after', 'bad').message).toBe('policy.steps[1].after: bad');
    expect(new ScheduleError('x', 2).step).toBe(2);
    expect(new MissingDocumentError('ab'.repeat(32), '/d').sha256).toBe('ab'.repeat(32));
  });
});

describe('the CLI’s handler', () => {
  test.each(userErrors.map((e) => [e.name, e] as const))('%s: exit 1 and its message, no stack', (_name, e) => {
    const { code, said } = handle(e);
    expect(code).toBe(1);
    expect(said).toBe(`rounds: ${e.message}\n`);
  });

  test.each(systemErrors.map((e) => [e.name, e] as const))('%s: exit 2 and its message', (_name, e) => {
    const { code, said } = handle(e);
    expect(code).toBe(2);
    expect(said).toBe(`rounds: ${e.message}\n`);
  });

  test('ExitError: its code, nothing said (the command said it)', () => {
    expect(handle(new ExitError(1))).toEqual({ code: 1, said: '' });
  });

  test('anything else is a bug: "unexpected error", exit 2', () => {
    const { code, said } = handle(new TypeError('x is undefined'));
    expect(code).toBe(2);
    expect(said).toMatch(/^rounds: unexpected error: x is undefined/);
  });
});
