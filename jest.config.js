/** One jest run for everything: engine, runtime, stand-in, pipeline, resolvers, browser. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, tsconfig: { module: 'commonjs', moduleResolution: 'node10', target: 'ES2022', esModuleInterop: true, jsx: 'react-jsx' } }],
  },
  testTimeout: 60000,
  // Browser and database tests are I/O bound; two workers fit the 2-core machine.
  maxWorkers: 2,
};
