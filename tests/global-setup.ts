import { execa } from 'execa';

/**
 * Rebuilds module/supervisor.cjs from supervisor/src before any test runs, so integration tests
 * never exercise stale code (`npm test` has already failed on a stale committed bundle by then).
 */
export default async function setup(): Promise<void> {
  await execa(process.execPath, ['scripts/build-bundle.mjs'], { stdio: 'inherit' });
}
