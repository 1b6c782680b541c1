/**
 * Options every jest project of this repository shares. Type-checking happens once in `npm run build` (tsc);
 * jest only transpiles, which keeps the suite fast.
 */
module.exports = {
  testEnvironment: 'node',
  // The consumer fixture app is its own project, run by scripts/consumer-contract.sh.
  modulePathIgnorePatterns: ['<rootDir>/__tests__/consumer/app/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/__tests__/oracle-path.ts',
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  snapshotSerializers: [],
};
