import fs from 'node:fs';
import { readUntrustedBytes } from '../shared/untrusted-file.js';

/** Bytes read from the runner's log at most per look: its lines are short, and it is read often. */
const maxReadBytes = 256 * 1024;

/**
 * Follows the runner's log (its stdout and stderr, one file): the lines of the current run
 * only, from the offset where that run began. The supervisor reads them to tell why the runner
 * exits and how its registration goes.
 */
export class ProcessLogReader {
  private offset: number;
  private partial = '';
  private readonly lines: string[] = [];
  /** The first line of this run that `mark` picked, kept when the recent lines move on. */
  marked: string | undefined;

  constructor(
    private readonly file: string,
    private readonly mark: (line: string) => boolean = () => false,
  ) {
    this.offset = fileSize(file);
  }

  /** Reads what was appended since the last look; returns the new complete lines. */
  readNew(): string[] {
    // The runner writes this file (through a descriptor of ours): read it as untrusted.
    const read = readUntrustedBytes(this.file, maxReadBytes, this.offset);
    if (read.kind !== 'file') return [];
    // The log was capped (copied aside and truncated) since the last look: read from 0 again.
    if (read.size < this.offset) this.offset = 0;
    if (read.bytes.length === 0) return [];
    this.offset += read.bytes.length;
    const text = this.partial + read.bytes.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    // An unterminated line is kept, bounded, until its end arrives.
    if (this.partial.length > maxReadBytes) this.partial = this.partial.slice(-maxReadBytes);
    const fresh = parts.filter((l) => l.trim() !== '');
    this.marked ??= fresh.find(this.mark);
    this.lines.push(...fresh);
    // Keep only the recent lines: the classification needs the last fatal line and progress.
    if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 200);
    return fresh;
  }

  /** Every line of this run read so far (recent ones), plus any unterminated last line. */
  all(): string[] {
    this.readNew();
    return this.partial.trim() === '' ? [...this.lines] : [...this.lines, this.partial];
  }
}

/** The size of a regular file, without following a link; 0 for anything else. */
function fileSize(file: string): number {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0;
  }
}

/**
 * Keeps the runner's log bounded without restarting the runner: when it outgrows `maxBytes`, it
 * is copied to `<file>.1` (replacing the previous one) and truncated. The runner's descriptor is
 * opened for appending, so its next write lands at the new end (logrotate's copytruncate).
 */
export function capProcessLog(file: string, maxBytes: number): boolean {
  if (fileSize(file) <= maxBytes) return false;
  try {
    fs.copyFileSync(file, `${file}.1`);
    fs.chmodSync(`${file}.1`, 0o600);
    fs.truncateSync(file, 0);
    return true;
  } catch {
    return false;
  }
}
