// `npm run test:cluster`: request-rounds on a real Temporal cluster (the real server, built
// once into .tools/temporal-server/, on PostgreSQL), from the compiled build. Not part of
// `npm test` (jest.config.js ignores test/cluster/): a cold server build takes ~14 minutes on
// two cores. The npm script builds dist/, the server and PostgreSQL first (scripts/).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  maxWorkers: 1,
  testTimeout: 900_000,
  verbose: true,
};
