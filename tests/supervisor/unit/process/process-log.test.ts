import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessLogReader, capProcessLog } from '../../../../supervisor/src/process/process-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function logFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-log-'));
  dirs.push(dir);
  return path.join(dir, 'runner.log');
}

describe('ProcessLogReader', () => {
  it('reads only the lines of the current run, as they are appended', () => {
    const file = logFile();
    fs.writeFileSync(file, 'an earlier run\n');
    const reader = new ProcessLogReader(file);
    fs.appendFileSync(file, 'one\ntw');
    expect(reader.readNew()).toEqual(['one']);
    fs.appendFileSync(file, 'o\n');
    expect(reader.readNew()).toEqual(['two']);
    expect(reader.all()).toEqual(['one', 'two']);
  });

  it('keeps the first line it was told to mark after the recent lines moved on', () => {
    const file = logFile();
    fs.writeFileSync(file, '');
    const reader = new ProcessLogReader(file, (line) => line.startsWith('session '));
    fs.appendFileSync(file, 'session one\n');
    reader.readNew();
    for (let i = 0; i < 5; i += 1) {
      fs.appendFileSync(file, `${'noise\n'.repeat(300)}session ${i + 2}\n`);
      reader.readNew();
    }
    expect(reader.all()).not.toContain('session one');
    expect(reader.marked).toBe('session one');
  });

  it('follows the log after it was capped', () => {
    const file = logFile();
    const reader = new ProcessLogReader(file);
    fs.appendFileSync(file, `${'x'.repeat(200)}\n`);
    expect(capProcessLog(file, 100)).toBe(true);
    expect(fs.statSync(file).size).toBe(0);
    expect(fs.statSync(`${file}.1`).size).toBe(201);
    fs.appendFileSync(file, 'after\n');
    expect(reader.readNew()).toEqual(['after']);
  });
});

describe('capProcessLog', () => {
  it('keeps the log bounded to about twice the cap, and the process writing with O_APPEND goes on at its new end', () => {
    const file = logFile();
    const fd = fs.openSync(file, 'a', 0o600);
    for (let i = 0; i < 50; i += 1) {
      fs.writeSync(fd, `${'line '.repeat(20)}${i}\n`);
      capProcessLog(file, 1000);
    }
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeLessThanOrEqual(1000 + 200);
    const kept = fs.readFileSync(`${file}.1`, 'utf8') + fs.readFileSync(file, 'utf8');
    expect(kept).toMatch(/ 49\n$/);
    // Without O_APPEND the writer would go on at its old offset and leave a hole of NULs.
    expect(kept).not.toContain('\0');
  });
});
