// (e) An unwritable --base-dir is a configuration error: exit 2 with an `error:` line.
// We run as root, so the directory is made unwritable for real: a path under a regular file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackNamespace, writeSecret } from '../helpers/real-runner.js';

describe('the real runner with an unwritable --base-dir', () => {
  let ns: LoopbackNamespace;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
  });
  afterAll(() => ns?.close());

  it('exits 2 at once with an error: line on stderr, and writes no log file', async () => {
    const regularFile = path.join(ns.dir, 'a-file');
    fs.writeFileSync(regularFile, 'not a directory\n');
    const baseDir = path.join(regularFile, 'base');
    const logFile = path.join(ns.dir, 'runner.log');
    const result = await ns.runClaude(
      [
        'self-hosted-runner',
        '--environment-secret-file',
        writeSecret(ns.dir),
        '--base-dir',
        baseDir,
        '--log-file',
        logFile,
        '--health-port',
        '18083',
      ],
      { timeoutMs: 60_000 },
    );
    expect(result.exitCode).toBe(2);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toBe(
      `error: cannot create or write to base directory ${baseDir} (ENOTDIR); pass --base-dir <writable path> or set SELF_HOSTED_RUNNER_BASE_DIR\n` +
        "Run 'claude self-hosted-runner --help' for usage.\n",
    );
    expect(fs.existsSync(logFile)).toBe(false);
  });

  it('reads the secret file before it checks the base dir', async () => {
    const result = await ns.runClaude(
      ['self-hosted-runner', '--environment-secret-file', path.join(ns.dir, 'missing'), '--base-dir', '/dev/null/x'],
      { timeoutMs: 60_000 },
    );
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toBe(
      `error: Failed to read environment secret file ${path.join(ns.dir, 'missing')} (ENOENT: no such file or directory, open '${path.join(ns.dir, 'missing')}')\n` +
        "Run 'claude self-hosted-runner --help' for usage.\n",
    );
  });
});
