import fs from 'node:fs';

/** Bytes read from the runner's log at most per look: its lines are short, and it is read often. */
const maxReadBytes = 256 * 1024;

/**
 * Follows the runner's log (its stdout and stderr, one file): the lines of the current run
 * only, from the offset where that run began. The supervisor reads them to tell why the runner
 * exits and how its registration goes.
 */
export class RunnerLogReader {
  private offset: number;
  private partial = '';
  private readonly lines: string[] = [];

  constructor(private readonly file: string) {
    this.offset = fileSize(file);
  }

  /** Reads what was appended since the last look; returns the new complete lines. */
  readNew(): string[] {
    let fd: number | undefined;
    try {
      const size = fileSize(this.file);
      // The log was capped (copied aside and truncated) since the last look: start again at 0.
      if (size < this.offset) this.offset = 0;
      if (size === this.offset) return [];
      const length = Math.min(size - this.offset, maxReadBytes);
      const buffer = Buffer.alloc(length);
      fd = fs.openSync(this.file, 'r');
      const read = fs.readSync(fd, buffer, 0, length, this.offset);
      this.offset += read;
      const text = this.partial + buffer.subarray(0, read).toString('utf8');
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      const fresh = parts.filter((l) => l.trim() !== '');
      this.lines.push(...fresh);
      // Keep only the recent lines: the classification needs the last fatal line and progress.
      if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 200);
      return fresh;
    } catch {
      return [];
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Every line of this run read so far (recent ones), plus any unterminated last line. */
  all(): string[] {
    this.readNew();
    return this.partial.trim() === '' ? [...this.lines] : [...this.lines, this.partial];
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Keeps the runner's log bounded without restarting the runner: when it outgrows `maxBytes`, it
 * is copied to `<file>.1` (replacing the previous one) and truncated. The runner's descriptor is
 * opened for appending, so its next write lands at the new end (logrotate's copytruncate).
 */
export function capRunnerLog(file: string, maxBytes: number): boolean {
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
