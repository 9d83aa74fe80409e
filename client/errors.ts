// Two kinds of failure, two exit codes: a person's mistake (1, a clear message, no stack
// trace) and the system's (2, e.g. Temporal unreachable).
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export class SystemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SystemError';
  }
}
