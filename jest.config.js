/** One Jest run for every package: one process pool is faster than one per project. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Octokit and its plugins ship ESM only: let swc turn them into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(@octokit|universal-user-agent|before-after-hook|bottleneck|fast-content-type-parse|json-with-bigint|content-type)/)'],
  moduleNameMapper: {
    '^@kitt/(allocator|flag-config|flag-layer|gitops)$': '<rootDir>/packages/$1/src/index.ts',
  },
  reporters: ['default', '<rootDir>/scripts/jest-closing-line.cjs'],
  testTimeout: 60000,
};
