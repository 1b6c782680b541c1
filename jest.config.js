const common = require('./jest.common');

/**
 * A test is live when it starts a program or a daemon (the pinned Prometheus family, the bundled exporter, a
 * script left running); its file is then named `*-live.test.ts`, which __tests__/framework/test-projects.test.ts
 * checks for every file. `npm run test:unit` runs the unit project alone; `npm test` runs both.
 */
const LIVE_FILE = '-live\\.test\\.ts$';
// The host in a box needs root and systemd-nspawn and takes minutes: `npm run test:host` runs it.
const HOSTBOX = '<rootDir>/__tests__/hostbox/';

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/__tests__'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', HOSTBOX, LIVE_FILE] },
    { ...common, displayName: 'live', roots: ['<rootDir>/__tests__'], testMatch: ['**/*-live.test.ts'], testPathIgnorePatterns: ['/node_modules/', HOSTBOX] },
  ],
};
