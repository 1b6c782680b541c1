/** Type-checking happens once in `npm run build` (tsc); jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  // The consumer fixture app is its own project, run by scripts/consumer-contract.sh.
  modulePathIgnorePatterns: ['<rootDir>/__tests__/consumer/app/'],
  testMatch: ['**/*.test.ts'],
  // The host in a box needs root and systemd-nspawn and takes minutes: `npm run test:host` runs it.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/hostbox/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/__tests__/oracle-path.ts',
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  snapshotSerializers: [],
  testTimeout: 60000,
};
