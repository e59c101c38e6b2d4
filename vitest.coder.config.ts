import { defineConfig } from 'vitest/config';

// The tests against a real Coder server: run only by scripts/test-coder.sh, inside a network
// namespace that has only loopback. One server for the whole run (global setup); the files run
// one after another, each one a concern, because they share that server and 2 cores.
export default defineConfig({
  test: {
    include: ['tests/coder/**/*.test.ts'],
    globalSetup: ['tests/coder/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
