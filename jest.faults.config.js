// `npm run test:faults`: fault tests against real processes (a Temporal dev server, the worker
// as its own process, an SMTP server) that kill, stop and restart them. `npm test` runs them
// after the other tests (jest.config.js ignores test/faults/). Each file starts its own
// servers on free ports.
const { pdfjsForJest } = require('./test/support/pdfjs-cjs');

/** @type {import('jest').Config} */
module.exports = {
  // Quiet on success, everything on failure: logs and servers' output are kept per test file
  // and printed only for a file with a failed test (test/support/quiet-environment.ts).
  testEnvironment: '<rootDir>/test/support/quiet-environment.ts',
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: pdfjsForJest(),
  // Two files at a time: the machine has two cores, and most of a fault test is waiting.
  maxWorkers: 2,
  testTimeout: 300_000,
  // Print each test's figures (lost, duplicated, retries) as they come.
  verbose: true,
};
