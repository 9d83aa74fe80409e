// Temporal's failures in the CLI's words, with their cause, against a real dev server on which
// no worker has ever run (so no search attribute is registered and nothing polls the task queue).
import { Metadata } from '@grpc/grpc-js';
import { ServiceError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { describeError, temporalFailure } from '../client/errors';
import { NO_WORKER, workerPolling } from '../client/letters';
import { devServerOptions, timeSkippingServerOptions } from '../worker/dev/temporal-binaries';
import { rounds } from './support/cli';

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

describe('on a dev server where no worker has run', () => {
  let env: TestWorkflowEnvironment;
  let a: string[];
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal(devServerOptions());
    a = ['--address', (env.connection.options as { address: string }).address];
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('start registers the search attributes itself, starts the letters, and warns that no worker polls', async () => {
    const r = await rounds([...a, 'start', 'test/fixtures/rounds/small', '--sent-on', 'now']);
    expect(r.stderr).toBe(`rounds: warning: ${NO_WORKER}; the letters wait until one does\n`);
    expect(r.stdout).toBe('round small: started 3 letters\n');
    expect(r.code).toBe(0);
    const started = await env.client.workflow.getHandle('small/alpha').describe();
    expect(started.searchAttributes.RoundId).toEqual(['small']);
  });

  test.each([
    [['show', 'small/alpha']],
    [['receive', 'small/alpha', '--doc', 'problemProfile']],
    [['note', 'small/beta', 'hello']],
    [['export', 'small']],
  ])('%j says at once that no worker polls (exit 2), instead of hanging', async (args) => {
    // Without the check these would wait for a worker until the RPC deadline and fail with another message (no timing asserted: the machines are noisy).
    const r = await rounds([...a, ...args]);
    expect(r.stderr).toBe(`rounds: ${NO_WORKER}\n`);
    expect(r.code).toBe(2);
  });

  // Exit 2, naming `rounds setup` (a namespace is prepared once, by whoever runs the service), and the typo case.
  test('a namespace that does not exist is named with both fixes (exit 2), and ROUNDS_DEBUG=1 adds the stack', async () => {
    let r = await rounds([...a, '--namespace', 'no-such-ns', 'status']);
    expect(r.stderr).toBe(
      `rounds: namespace 'no-such-ns' on ${a[1]} does not exist. If the name is right, create it with \`rounds setup\` (once per namespace), then try again; if not, give --namespace or set TEMPORAL_NAMESPACE.\n`,
    );
    expect(r.code).toBe(2);
    r = await rounds([...a, '--namespace', 'no-such-ns', 'show', 'small/alpha'], { ROUNDS_DEBUG: '1' });
    expect(r.stderr).toContain("rounds: namespace 'no-such-ns' on");
    expect(r.stderr).toMatch(/NamespaceNotFoundError: .*\n\s+at /);
    expect(r.code).toBe(2);
  });
});

test('the time-skipping test server cannot say who polls: the check stands aside', async () => {
  const env = await TestWorkflowEnvironment.createTimeSkipping(timeSkippingServerOptions());
  try {
    expect(await workerPolling(env.client)).toBeUndefined();
  } finally {
    await env.teardown();
  }
});

test("a Temporal error is shown with its cause: the gRPC error's details, not 'unexpected error'", () => {
  const grpc = Object.assign(new Error('3 INVALID_ARGUMENT: no mapping defined for search attribute RoundId'), {
    code: 3,
    details: 'no mapping defined for search attribute RoundId',
    metadata: new Metadata(),
  });
  const err = new ServiceError('Failed to start Workflow', { cause: grpc });
  expect(describeError(err)).toBe('Failed to start Workflow: no mapping defined for search attribute RoundId');
  expect(temporalFailure(err, { address: 'localhost:7233' })).toEqual({
    message: 'Temporal at localhost:7233: Failed to start Workflow: no mapping defined for search attribute RoundId',
    exitCode: 2,
  });
  const deadline = new ServiceError('Failed to query Workflow', { cause: Object.assign(new Error('4 DEADLINE_EXCEEDED: timeout'), { code: 4, details: 'timeout', metadata: new Metadata() }) });
  expect(temporalFailure(deadline)?.message).toBe('Temporal did not answer in time (is a worker running? `npm start` or `rounds worker`): Failed to query Workflow: timeout');
  expect(temporalFailure(new Error('something else'))).toBeUndefined();
  noStack(describeError(err));
});
