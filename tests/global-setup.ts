import { execa } from 'execa';

/**
 * The integration tests run the committed bundle, module/supervisor.cjs: before any test runs,
 * it must be what supervisor/src builds, or they would exercise stale code. A test run never
 * writes a tracked file; `npm run build` (or `npm run generate`) does.
 */
export default async function setup(): Promise<void> {
  const check = await execa(process.execPath, ['scripts/build-bundle.mjs', '--check'], { reject: false, all: true });
  if (check.exitCode !== 0) {
    throw new Error(`${check.all.trim()}\nThe tests run the bundle: run \`npm run build\` first.`);
  }
}
