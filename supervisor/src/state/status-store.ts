import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { stateItemKey } from './items.js';
import type { Logger } from '../shared/log.js';
import type { StatePaths } from './paths.js';
import { emptyStatus, type SupervisorStatus } from './status.js';

/** The names an older supervisor (before the core had a program) gave the program's fields. */
const olderNames = { runnerPid: 'programPid', runnerStartTime: 'programStartTime', runnerVersion: 'programVersion' };

export function readStatus(paths: Pick<StatePaths, 'statusFile'>): SupervisorStatus | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(paths.statusFile, 'utf8')) as Partial<SupervisorStatus>;
    if (parsed.schema !== 1) return undefined;
    const renamed: Record<string, unknown> = {};
    for (const [older, name] of Object.entries(olderNames)) {
      if (older in parsed && !(name in parsed)) renamed[name] = parsed[older];
    }
    return { ...emptyStatus(new Date()), ...parsed, ...renamed } as SupervisorStatus;
  } catch {
    return undefined;
  }
}

/** What a role gives the store: its dashboard items, and its fields that change on every poll. */
export interface StatusView {
  items: (status: SupervisorStatus) => Record<string, string>;
  /** On their own, changes of these fields refresh status.json only every `volatileRefreshMs`. */
  volatileFields: readonly string[];
}

/** Fields that change on every health poll: on their own they refresh status.json only this often. */
const volatileRefreshMs = 30_000;

/**
 * Persists status.json and the dashboard item files. Writes are serialised and coalesced (the
 * latest status wins), each file atomic, and a file is rewritten only when its text changed.
 * A failed write (full disk) is logged and leaves the previous file intact.
 */
export class StatusStore {
  private pending: SupervisorStatus | undefined;
  private lastStatusWriteAt = 0;
  private writing: Promise<void> = Promise.resolve();
  private readonly written = new Map<string, string>();

  constructor(
    private readonly paths: StatePaths,
    private readonly log: Logger,
    /** The supervised program's role: its dashboard items and volatile fields. */
    private readonly view: StatusView,
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

  /** The disk refused the last write (ENOSPC, EDQUOT, EROFS): the dashboard says so. */
  diskTrouble: string | undefined;

  private async flushPending(): Promise<void> {
    const pendingStatus = this.pending;
    if (pendingStatus === undefined) return;
    this.pending = undefined;
    const status: SupervisorStatus = this.diskTrouble
      ? { ...pendingStatus, display: `${pendingStatus.display ?? pendingStatus.state}; ${this.diskTrouble}` }
      : pendingStatus;
    // Each file is rewritten only when its comparison key changed; for a dashboard item that is
    // its text. status.json goes last (once it shows a state, the items already agree with it),
    // and a poll that changed only the poll age does not rewrite it (a rename costs ~0.7 ms of
    // CPU), except every `volatileRefreshMs`.
    const now = Date.now();
    const files: { file: string; text: string; mode: number; key: string; refreshDue: boolean }[] = Object.entries(
      this.view.items(status),
    ).map(([name, text]) => ({
      file: path.join(this.paths.itemsDir, name),
      text,
      mode: 0o644,
      key: text,
      refreshDue: false,
    }));
    files.push({
      file: this.paths.statusFile,
      text: `${JSON.stringify(status, null, 2)}\n`,
      mode: 0o600,
      key: JSON.stringify({
        ...status,
        ...Object.fromEntries(this.view.volatileFields.map((field) => [field, ''])),
        updatedAt: '',
      }),
      refreshDue: now - this.lastStatusWriteAt >= volatileRefreshMs,
    });
    let refused: string | undefined;
    for (const { file, text, mode, key, refreshDue } of files) {
      if (this.written.get(file) === key && !refreshDue) continue;
      try {
        writeFileAtomically(file, text, mode, false);
        // Recorded only once written, so a failed write is retried at the next save.
        this.written.set(file, key);
        if (file === this.paths.statusFile) this.lastStatusWriteAt = now;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS') refused = code;
        // A dashboard item is small and already on disk: overwritten in place, it needs no new block.
        if (file !== this.paths.statusFile && overwriteInPlace(file, text)) {
          this.written.set(file, key);
          continue;
        }
        this.log.error({ file, err: error }, 'could not write a state file; the previous one is kept');
      }
    }
    const trouble = refused
      ? `the disk is full or read-only (${refused}): free space in ${path.dirname(this.paths.statusFile)}`
      : undefined;
    if (trouble !== this.diskTrouble) {
      this.diskTrouble = trouble;
      // Shown at once: the state item is rewritten with (or without) the note.
      this.written.delete(path.join(this.paths.itemsDir, stateItemKey));
      this.pending ??= pendingStatus;
      this.writing = this.writing.then(() => this.flushPending());
    }
  }
}

/** Overwrites an existing file's content in place (no temp file, no rename): works on a full disk. */
function overwriteInPlace(file: string, text: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r+');
    // Written over the existing bytes first, then cut: the blocks it has are reused, none freed.
    const written = fs.writeSync(fd, text, 0);
    fs.ftruncateSync(fd, written);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
