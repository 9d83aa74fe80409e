// `rounds setup` against a real Temporal dev server, on a namespace that does not exist yet
// (as on a fresh cluster, which has no `default`): `start` and `worker` say to run it, it
// creates the namespace and the search attributes, running it again changes nothing, and then
// a round starts. The cluster test (npm run test:cluster) does the same on PostgreSQL.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerOptions } from '../worker/dev/temporal-binaries';
import { rounds } from './support/cli';

let env: TestWorkflowEnvironment;
let address: string;
const namespace = `setup-${process.pid}`;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal(devServerOptions());
  address = (env.connection.options as { address: string }).address;
});
afterAll(async () => {
  await env?.teardown();
});

const at = () => ['--address', address, '--namespace', namespace];

test('start and worker name `rounds setup` when the namespace is missing; setup creates it, idempotently', async () => {
  let r = await rounds([...at(), 'start', 'test/fixtures/rounds/small', '--sent-on', 'now']);
  expect(r.stderr).toContain(`namespace '${namespace}' on ${address} does not exist`);
  expect(r.stderr).toContain('`rounds setup`');
  expect(r.stderr).not.toMatch(/unexpected error/);
  expect(r.code).toBe(2);

  r = await rounds([...at(), 'worker'], { SMTP_URL: 'smtp://127.0.0.1:9' });
  expect(r.stderr).toContain('`rounds setup`');
  expect(r.stderr).not.toMatch(/unexpected error/);
  expect(r.code).toBe(2);

  r = await rounds([...at(), 'setup', '--retention', '2h']);
  expect(r.stderr).toContain("--retention: expected a whole number of days of at least 1, like 30d or 90d, got '2h'");
  expect(r.code).toBe(1);

  r = await rounds([...at(), 'setup', '--retention', '7d']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain(`namespace ${namespace}: created, retention 7 days`);
  expect(r.stdout).toContain('search attributes: added RoundId, LetterState, NextActionAt, Outstanding');
  expect(r.stdout).toMatch(/ready: a start with the search attributes is accepted/);
  expect(r.code).toBe(0);

  const described = await env.connection.workflowService.describeNamespace({ namespace });
  expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);

  r = await rounds([...at(), 'setup']);
  expect(r.stdout).toContain(`namespace ${namespace}: exists, retention 7 days (left as it is)`);
  expect(r.stdout).toContain('search attributes: all there already');
  expect(r.code).toBe(0);

  r = await rounds([...at(), 'start', 'test/fixtures/rounds/small', '--sent-on', 'now']);
  expect(r.stdout).toBe('round small: started 3 letters\n');
  expect(r.code).toBe(0);
});
