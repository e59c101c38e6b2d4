import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectUntrusted, readUntrustedFile } from '../../../../supervisor/src/shared/untrusted-file.js';

/**
 * What a session may have put where the supervisor reads (a FIFO above all: a plain read of one
 * blocks until a writer comes) is read without blocking and reported as tampering, not data.
 * tests/security/fifo-record.test.ts plays the attack; under a session user it cannot be made.
 */
let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reads of what another user can write', () => {
  it('a FIFO, a link and a folder are tampering, found at once; a file is read within its bound', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-untrusted-'));
    const fifo = path.join(dir, 'fifo');
    execaSync('mkfifo', [fifo]);
    const link = path.join(dir, 'link');
    fs.symlinkSync('/etc/passwd', link);
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'one\ntwo\n');
    const before = Date.now();
    expect(readUntrustedFile(fifo, 1024).kind).toBe('tampered');
    expect(inspectUntrusted(fifo)).not.toBe('file');
    expect(readUntrustedFile(link, 1024).kind).toBe('tampered');
    expect(readUntrustedFile(dir, 1024).kind).toBe('tampered');
    expect(Date.now() - before).toBeLessThan(1000);
    expect(readUntrustedFile(file, 1024)).toMatchObject({ kind: 'file', text: 'one\ntwo\n' });
    expect(readUntrustedFile(path.join(dir, 'none'), 1024).kind).toBe('missing');
  });
});
