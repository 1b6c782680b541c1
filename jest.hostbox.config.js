/** `npm run test:host`: the host in a box alone (root, systemd-nspawn, minutes); `npm test` leaves it out. */
const common = require('./jest.common');

module.exports = {
  ...common,
  roots: ['<rootDir>/__tests__/hostbox'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 600000,
};
