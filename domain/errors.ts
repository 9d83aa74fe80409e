// Every error the project throws on purpose, in one place (after changesets' packages/errors):
// two kinds, each with its exit code, and under them the particular errors code catches by
// class. The CLI's one handler (client/cli.ts exitCode) maps any of them to its exit code
// and message; the dashboard shows a UserError's message to the person. Temporal's own
// failures are put in words by client/errors.ts (temporalFailure, describeError).
//
//   RoundsError                      exitCode
//   ├── UserError                    1   a person's mistake: the message says what and where
//   │   ├── NotFoundError                no such round, letter or file (the dashboard's 404)
//   │   ├── PolicyError                  round.yaml/recipients.csv policy field
//   │   ├── CalendarError                a date the working-day calendar cannot place
//   │   ├── ScheduleError                a letter's steps that cannot be planned
//   │   ├── SentOnError                  `--sent-on` / the start form's "counts as sent on"
//   │   ├── LetterRuleError              an update or signal the letter refuses (workflow validators)
//   │   └── HeaderInjectionError         a line break in an email header
//   ├── SystemError                  2   the system's: Temporal, files, tools
//   │   ├── TemporalUnreachableError
//   │   ├── NamespaceNotReadyError       the namespace or its search attributes (`rounds setup`)
//   │   ├── MissingBinaryError           a Temporal binary that is not there
//   │   ├── ChromiumMissingError         no Chromium to print a letter to PDF
//   │   └── MissingDocumentError         a document store entry that is not there
//   └── ExitError                    n   exit with a code, the reason already printed
//
// Pure (no Node, no I/O): domain/ and the workflow sandbox import it. Each class sets its own
// `name` (bundlers may rename classes; activity failures are matched by name, e.g.
// nonRetryableErrorTypes: ['HeaderInjectionError']).

/** An error the project throws on purpose, with the exit code the CLI ends with. */
export abstract class RoundsError extends Error {
  abstract readonly exitCode: number;
}

/** A person's mistake (exit 1): a clear message naming what was wrong and where; no stack trace. */
export class UserError extends RoundsError {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The system's failure (exit 2): Temporal unreachable, a file that cannot be read, a missing tool. */
export class SystemError extends RoundsError {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = 'SystemError';
  }
}

/** Exit with this code; whatever the person needs to know has been printed already. */
export class ExitError extends RoundsError {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

// ---------------------------------------------------------------- a person's mistakes

/**
 * No such round, letter or file: the dashboard answers 404 "Not found" (any other UserError is a
 * refusal, 422). The message says what was looked for and where to find what there is.
 */
export class NotFoundError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A policy field that is not understood: `field` names it (e.g. policy.steps[1].after). */
export class PolicyError extends UserError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PolicyError';
  }
}

/** A date or time the calendar cannot work with (not a real date, outside the years it covers). Its message says what was expected. */
export class CalendarError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

/**
 * A schedule that cannot be worked out: a date outside the working-day calendar, a step that
 * would fall after its end. The message says which step and why, for a person to read.
 */
export class ScheduleError extends UserError {
  constructor(
    message: string,
    /** The policy step (0-based) that cannot be planned; undefined when the sent-on date itself is the problem. */
    readonly step?: number,
  ) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** A "counts as sent on" that cannot be used (`rounds start --sent-on`, the start form). The message is for a person; callers prefix the field's name. */
export class SentOnError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SentOnError';
  }
}

/** A request that breaks one of the letter's rules (the workflow's validators throw it). Its message is shown to the person as it is. */
export class LetterRuleError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'LetterRuleError';
  }
}

/**
 * A change the letter already has (the same closure, the same corrected contact): refused by the
 * validator so that re-running a round-wide change leaves no trace, and reported as "unchanged".
 */
export class AlreadyAppliedError extends LetterRuleError {
  constructor(message: string) {
    super(message);
    this.name = 'AlreadyAppliedError';
  }
}

/** What the client makes of an AlreadyAppliedError that came back from a letter (the update failure type ALREADY_APPLIED). */
export class AlreadyAppliedUserError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'AlreadyAppliedUserError';
  }
}

/** A line break (or other control character) in an email header from input files. */
export class HeaderInjectionError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderInjectionError';
  }
}

// ---------------------------------------------------------------- the system's failures

export class TemporalUnreachableError extends SystemError {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalUnreachableError';
  }
}

/** The namespace, or the register's search attributes in it, are not there: `rounds setup` makes them. */
export class NamespaceNotReadyError extends SystemError {
  constructor(message: string) {
    super(message);
    this.name = 'NamespaceNotReadyError';
  }
}

/** A Temporal binary (CLI, server) that is not where it should be. */
export class MissingBinaryError extends SystemError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingBinaryError';
  }
}

/**
 * No Chromium to print a letter to PDF (activities/chromium.ts). Its name is matched in the letter
 * workflow's nonRetryableErrorTypes and recorded in histories: keep it.
 */
export class ChromiumMissingError extends SystemError {
  constructor(message: string) {
    super(message);
    this.name = 'ChromiumMissingError';
  }
}

/** A document the document store does not have. */
export class MissingDocumentError extends SystemError {
  constructor(
    readonly sha256: string,
    dir: string,
  ) {
    super(`document ${sha256} is not in the document store (${dir})`);
    this.name = 'MissingDocumentError';
  }
}
