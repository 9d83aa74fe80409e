// `npm test` is quiet on success and complete on failure: a test file's dev-server banner and
// worker warnings (with their stacks) print only when a test in that file failed. Runs jest
// on a fixture (test/fixtures/quiet-output/) with the project's jest config, once passing
// and once failing.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FIXTURE = 'test/fixtures/quiet-output/servers.fixture.ts';

function jest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const args = [require.resolve('jest/bin/jest'), '--ci', '--testMatch', `<rootDir>/${FIXTURE}`, '--testPathIgnorePatterns', '/node_modules/'];
    const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
    delete childEnv.QUIET_FIXTURE_FAIL;
    Object.assign(childEnv, env);
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('a passing file prints only the summary; a failing one prints its servers and warnings too', async () => {
  const [passing, failing] = await Promise.all([jest({}), jest({ QUIET_FIXTURE_FAIL: '1' })]);

  expect(passing.code).toBe(0);
  expect(passing.output).toMatch(/^PASS test\/fixtures\/quiet-output\/servers\.fixture\.ts/);
  for (const noise of ['Temporal CLI', 'Temporal Server:', '[WARN]', 'refused, as this test expects']) expect(passing.output).not.toContain(noise);
  // Nothing but jest's own report.
  const notJest = passing.output.split('\n').filter((line) => !/^(PASS |  ✓ |Test Suites:|Tests:|Snapshots:|Time:|Ran all test suites|$)/.test(line));
  expect(notJest).toEqual([]);

  expect(failing.code).toBe(1);
  expect(failing.output).toContain(`======== ${FIXTURE} failed; what it logged ========`);
  expect(failing.output).toMatch(/\[sdk\] \S+ \[WARN\] Activity failed \{\n\[sdk\] {3}error: Error: refused, as this test expects\n\[sdk\] {7}at /);
  expect(failing.output).toMatch(/-------- the output of its Temporal dev servers --------\n[^]*Temporal CLI \d[^]*\nTemporal Server: +localhost:\d+\n/);
  expect(failing.output).toContain('FAIL test/fixtures/quiet-output/servers.fixture.ts');
});
