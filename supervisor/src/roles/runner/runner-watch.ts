import fs from 'node:fs';
import path from 'node:path';
import { inspectUntrusted, readUntrustedFile } from '../../shared/untrusted-file.js';
import type { HealthSnapshot, MetricsSnapshot } from './health.js';
import type { RunnerHandle } from '../../process/runner-process.js';

/** How many health polls go by between two reads of /metrics. */
const metricsEveryPolls = 6;

export interface RunnerWatchOptions {
  healthPort: number;
  intervalMs: number;
  /** The directory where the session wrapper writes its lock record. */
  stateDir: string;
  lockedFlag: string;
  sessionsFile: string;
  fetchHealth: (port: number) => Promise<HealthSnapshot | undefined>;
  fetchMetrics: (port: number) => Promise<MetricsSnapshot | undefined>;
}

export interface WatchReport {
  health: HealthSnapshot | undefined;
  metrics: MetricsSnapshot | undefined;
}

export interface WatchListener {
  /** The wrapper's lock record appeared, with the number of session starts recorded. */
  onLockRecord(sessionsRecorded: number): void;
  onPoll(report: WatchReport): void;
  /** A record in the drop box is not a regular file (a FIFO, a link, ...): a session put it there. */
  onTampered?(file: string, what: string): void;
}

/** The sessions record holds one short line per session start: more than this is not ours. */
const sessionsRecordMaxBytes = 1024 * 1024;

export interface SessionsRecord {
  /** Session starts that the wrapper recorded (one line each). */
  count: number;
  /** What is there instead of a regular file, when a session replaced it. */
  tampered: string | undefined;
}

/** Reads the wrapper's sessions record as the runner user may have left it (shared/untrusted-file.ts). */
export function readSessionsRecord(sessionsFile: string): SessionsRecord {
  const read = readUntrustedFile(sessionsFile, sessionsRecordMaxBytes);
  if (read.kind === 'tampered') return { count: 0, tampered: read.what };
  if (read.kind === 'missing') return { count: 0, tampered: undefined };
  return { count: read.text.split('\n').filter((l) => l.trim() !== '').length, tampered: undefined };
}

/**
 * Watches a live runner: the wrapper's lock record (fs.watch at once, and at every poll), and
 * /healthz every interval with /metrics every few polls (a third witness of the lock, read
 * rarely to keep an idle supervisor's CPU down). Stops by itself when the runner is gone.
 */
export class RunnerWatch {
  private pollTimer: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  private lockSeen = false;
  private stopped = false;

  constructor(
    private readonly runner: RunnerHandle,
    private readonly options: RunnerWatchOptions,
    private readonly listener: WatchListener,
  ) {}

  start(): void {
    try {
      const base = path.basename(this.options.lockedFlag);
      this.watcher = fs.watch(this.options.stateDir, (_event, name) => {
        // The creation of the record (or of its temporary name) counts even when the file is
        // gone by the time we look: a session may delete it as soon as its code runs.
        if (name === base || name?.startsWith(`${base}.tmp`)) this.recordSeen();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // Polling below still sees the record.
    }
    let polls = 0;
    const poll = async (): Promise<void> => {
      if (!this.active()) return;
      this.checkLockRecord();
      const withMetrics = polls % metricsEveryPolls === 0;
      polls += 1;
      const [health, metrics] = await Promise.all([
        this.options.fetchHealth(this.options.healthPort),
        withMetrics ? this.options.fetchMetrics(this.options.healthPort) : Promise.resolve(undefined),
      ]);
      if (this.active()) this.listener.onPoll({ health, metrics });
    };
    const loop = (): void => {
      this.pollTimer = setTimeout(() => {
        void poll().finally(() => {
          if (this.active()) loop();
        });
      }, this.options.intervalMs);
    };
    void poll();
    loop();
  }

  /** Reads the wrapper's record now (also called once more after the runner exits). */
  checkLockRecord(): void {
    if (this.lockSeen) return;
    // Anything at the record's path counts, a FIFO or a link as much as the wrapper's file.
    const found = inspectUntrusted(this.options.lockedFlag);
    if (found === 'missing') return;
    if (found !== 'file') this.listener.onTampered?.(this.options.lockedFlag, found.tampered);
    this.recordSeen();
  }

  private recordSeen(): void {
    if (this.lockSeen) return;
    this.lockSeen = true;
    const sessions = readSessionsRecord(this.options.sessionsFile);
    if (sessions.tampered) this.listener.onTampered?.(this.options.sessionsFile, sessions.tampered);
    this.listener.onLockRecord(sessions.count);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private active(): boolean {
    return !this.stopped && this.runner.isAlive();
  }
}
