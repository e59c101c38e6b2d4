import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from './atomic-file.js';
import { dashboardItems } from './dashboard.js';
import type { Logger } from './log.js';
import type { StatePaths } from './paths.js';
import { emptyStatus, type SupervisorStatus } from './status.js';

export function readStatus(paths: Pick<StatePaths, 'statusFile'>): SupervisorStatus | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(paths.statusFile, 'utf8')) as Partial<SupervisorStatus>;
    if (parsed.schema !== 1) return undefined;
    return { ...emptyStatus(new Date()), ...parsed } as SupervisorStatus;
  } catch {
    return undefined;
  }
}

/**
 * Persists status.json and the dashboard item files. Writes are serialised and coalesced (the
 * latest status wins), each file atomic, and a file is rewritten only when its text changed.
 * A failed write (full disk) is logged and leaves the previous file intact.
 */
/** Fields that change on every health poll: on their own they refresh status.json only this often. */
const volatileRefreshMs = 30_000;

export class StatusStore {
  private pending: SupervisorStatus | undefined;
  private lastStableKey = '';
  private lastStatusWriteAt = 0;
  private writing: Promise<void> = Promise.resolve();
  private readonly written = new Map<string, string>();

  constructor(
    private readonly paths: StatePaths,
    private readonly log: Logger,
  ) {}

  save(status: SupervisorStatus): Promise<void> {
    this.pending = status;
    this.writing = this.writing.then(() => this.flushPending());
    return this.writing;
  }

  /** Resolves when everything saved so far is on disk. */
  settled(): Promise<void> {
    return this.writing;
  }

  private async flushPending(): Promise<void> {
    const status = this.pending;
    if (status === undefined) return;
    this.pending = undefined;
    const files: [string, string, number][] = Object.entries(dashboardItems(status)).map(([key, value]) => [
      path.join(this.paths.itemsDir, key),
      value,
      0o644,
    ]);
    // status.json last: once it shows a state, the dashboard files already agree with it. A
    // poll that changed only the poll age does not rewrite it (a rename costs ~0.7 ms of CPU).
    const stableKey = JSON.stringify({ ...status, lastPollAgeMs: 0, healthCheckedAt: '', updatedAt: '' });
    const now = Date.now();
    if (stableKey !== this.lastStableKey || now - this.lastStatusWriteAt >= volatileRefreshMs) {
      files.push([this.paths.statusFile, `${JSON.stringify(status, null, 2)}\n`, 0o600]);
      this.lastStableKey = stableKey;
      this.lastStatusWriteAt = now;
    }
    for (const [file, text, mode] of files) {
      if (this.written.get(file) === text) continue;
      try {
        await writeFileAtomically(file, text, mode, false);
        this.written.set(file, text);
      } catch (error) {
        this.log.error({ file, err: error }, 'could not write a state file; the previous one is kept');
      }
    }
  }
}
