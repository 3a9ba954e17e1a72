/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '__tests__/tsconfig.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30000,
  // The end-to-end suites run dist/: it is built from src/ first, so no run tests a stale bundle.
  globalSetup: '<rootDir>/__tests__/support/buildBundle.ts',
  // The e2e tests spawn the bundle and git; two workers match the two cores.
  maxWorkers: 2,
};
