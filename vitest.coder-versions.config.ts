import { defineConfig } from 'vitest/config';
import coder from './vitest.coder.config.js';

// The version suite: what of tests/coder runs on each older Coder server (scripts/versions.env's
// CODER_SERVER_OLDER_VERSIONS; scripts/test-coder.sh sets CSR_CODER_VERSION for each): the token
// matrix and the quarantine's advice for that release, self-eviction with the token the
// supervisor recommends there, a failed delete, and the on-demand mode end to end. The newest
// server runs all of tests/coder, this included.
export default defineConfig({
  test: {
    ...coder.test,
    include: [
      'tests/coder/versions/**/*.test.ts',
      'tests/coder/self-eviction.test.ts',
      'tests/coder/failed-delete.test.ts',
      'tests/coder/on-demand.test.ts',
    ],
  },
});
