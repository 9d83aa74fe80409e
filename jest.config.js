/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/faults/', '/test/cluster/'],
  // Type checking is `tsc --noEmit` (npm test runs it first); ts-jest only transpiles.
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120_000,
};
