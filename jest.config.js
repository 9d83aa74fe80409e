const { pdfjsForJest } = require('./test/support/pdfjs-cjs');

/** @type {import('jest').Config} */
module.exports = {
  // Quiet on success, everything on failure: logs and servers' output are kept per test file
  // and printed only for a file with a failed test (test/support/quiet-environment.ts).
  testEnvironment: '<rootDir>/test/support/quiet-environment.ts',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/faults/', '/test/cluster/'],
  // Type checking is `tsc --noEmit` (npm test runs it first); ts-jest only transpiles.
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // pdf.js is ES modules only: CommonJS copies for jest (test/support/pdfjs-cjs.js).
  moduleNameMapper: pdfjsForJest(),
  testTimeout: 120_000,
};
