/** `npm run test:host`: the host in a box alone (root, systemd-nspawn, minutes); `npm test` leaves it out. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/hostbox'],
  testPathIgnorePatterns: [],
  testTimeout: 600000,
};
