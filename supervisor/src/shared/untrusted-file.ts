import fs from 'node:fs';

/**
 * Reads of what the runner user can write (the record drop box, the base dir, the runner's home,
 * its log). A session can put anything at such a path: a FIFO (an open() that waits for a writer
 * forever, stopping the event loop), a device, a socket, a link to a file of ours, or a huge
 * file. So these reads never follow a link, never block, and never read more than a bound: a
 * path that is not a regular file is evidence of tampering, never data.
 */
export type UntrustedRead =
  | { kind: 'missing' }
  | { kind: 'file'; text: string; size: number; truncated: boolean }
  /** What is there instead of a regular file (a FIFO, a symbolic link, ...): a session put it there. */
  | { kind: 'tampered'; what: string };

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW, O_NOCTTY } = fs.constants;
const openFlags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY;

/** What a non-regular file is, in words for the log and the dashboard. */
export function describeFileType(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** What the path holds, without opening it (lstat never blocks and never follows a link). */
export function inspectUntrusted(file: string): 'missing' | 'file' | { tampered: string } {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() ? 'file' : { tampered: describeFileType(stat) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return { tampered: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

export type UntrustedBytes = { kind: 'file'; bytes: Buffer; size: number } | Exclude<UntrustedRead, { kind: 'file' }>;

/**
 * Reads at most `maxBytes` from `offset` (0 when the file is now shorter: it was truncated) of a
 * regular file that a session may have replaced. The open itself refuses links (O_NOFOLLOW) and
 * returns at once on a FIFO (O_NONBLOCK); fstat of the opened descriptor then says what it
 * really is, so nothing can be swapped between the look and the read.
 */
export function readUntrustedBytes(file: string, maxBytes: number, offset = 0): UntrustedBytes {
  let fd: number;
  try {
    fd = fs.openSync(file, openFlags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    // ELOOP: a symbolic link; ENXIO: a socket; EACCES: not ours to read, so not what we wrote.
    if (code === 'ELOOP') return { kind: 'tampered', what: 'a symbolic link' };
    if (code === 'ENXIO') return { kind: 'tampered', what: 'a socket' };
    return { kind: 'tampered', what: `unreadable (${code ?? 'error'})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { kind: 'tampered', what: describeFileType(stat) };
    const start = offset > stat.size ? 0 : offset;
    const length = Math.max(0, Math.min(stat.size - start, maxBytes));
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = fs.readSync(fd, buffer, read, length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return { kind: 'file', bytes: buffer.subarray(0, read), size: stat.size };
  } catch (error) {
    return { kind: 'tampered', what: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `maxBytes` of such a file, as text. */
export function readUntrustedFile(file: string, maxBytes: number): UntrustedRead {
  const read = readUntrustedBytes(file, maxBytes);
  if (read.kind !== 'file') return read;
  return { kind: 'file', text: read.bytes.toString('utf8'), size: read.size, truncated: read.size > maxBytes };
}
