// What a supervisor leaves in its state directory, read by tests while it runs: a file may not be
// there yet (or be between a write and its rename), which reads as undefined, never as an error.
import fs from 'node:fs';
import path from 'node:path';

export function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A dashboard value (items/<key>) of the supervisor whose state directory this is. */
export const stateItem = (stateDir: string, key: string): string | undefined =>
  readIfThere(path.join(stateDir, 'items', key));

/** Its status.json, parsed; undefined while there is none (or half of one). */
export function stateStatus<T = Record<string, unknown>>(stateDir: string): T | undefined {
  const text = readIfThere(path.join(stateDir, 'status.json'));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
