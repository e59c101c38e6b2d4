import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSilentLogger } from '../../../../supervisor/src/shared/log.js';
import { statePaths } from '../../../../supervisor/src/state/paths.js';
import { runnerItems } from '../../../../supervisor/src/roles/runner/runner-items.js';
import { runnerVolatileFields } from '../../../../supervisor/src/roles/runner/runner-status.js';
import { emptyStatus } from '../../../../supervisor/src/state/status.js';
import { StatusStore, readStatus } from '../../../../supervisor/src/state/status-store.js';

const failures = vi.hoisted(() => ({ diskFull: false }));
vi.mock('../../../../supervisor/src/shared/atomic-file.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../../supervisor/src/shared/atomic-file.js')>();
  return {
    writeFileAtomically: (file: string, data: string, mode: number, durable?: boolean) => {
      if (failures.diskFull) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      original.writeFileAtomically(file, data, mode, durable);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  failures.diskFull = false;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function store() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  dirs.push(dir);
  const paths = statePaths({ stateDir: dir, logDir: path.join(dir, 'logs'), stopBudgetMs: 1000, drainWaitSec: 0 });
  fs.mkdirSync(paths.itemsDir);
  const log = createSilentLogger();
  const errors = vi.spyOn(log, 'error');
  return {
    paths,
    log,
    errors,
    store: new StatusStore(paths, log, { items: runnerItems, volatileFields: runnerVolatileFields }),
  };
}

describe('StatusStore', () => {
  it('writes status.json and the item files, each 0600/0644, only when they change', async () => {
    const { paths, store: s } = store();
    await s.save({ ...emptyStatus(new Date(0)), state: 'running', locked: true });
    expect(readStatus(paths)?.state).toBe('running');
    expect(fs.readFileSync(path.join(paths.itemsDir, '0_lock_status'), 'utf8')).toBe('locked');
    expect(fs.statSync(paths.statusFile).mode & 0o777).toBe(0o600);
    const mtime = fs.statSync(path.join(paths.itemsDir, '0_lock_status')).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await s.save({ ...emptyStatus(new Date(0)), state: 'running', locked: true, restarts: 1 });
    expect(fs.statSync(path.join(paths.itemsDir, '0_lock_status')).mtimeMs).toBe(mtime);
    expect(fs.readFileSync(path.join(paths.itemsDir, '5_restarts'), 'utf8')).toBe('1');
  });

  it('keeps the previous files intact when a write fails (full disk), logs it, and recovers', async () => {
    const { paths, store: s, errors } = store();
    await s.save({ ...emptyStatus(new Date(0)), state: 'running' });
    failures.diskFull = true;
    await s.save({ ...emptyStatus(new Date(0)), state: 'evicting', reason: 'x' });
    expect(readStatus(paths)?.state).toBe('running');
    expect(errors).toHaveBeenCalled();
    failures.diskFull = false;
    await s.save({ ...emptyStatus(new Date(0)), state: 'evicted' });
    expect(readStatus(paths)?.state).toBe('evicted');
    expect(fs.readFileSync(path.join(paths.itemsDir, '4_supervisor_state'), 'utf8')).toMatch(/^evicted/);
  });
});
