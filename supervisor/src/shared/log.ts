import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { PrepareError, describeError } from './errors.js';
import { escapeControlsInJson } from './escape-controls.js';
import { redactSecrets } from './redact-secrets.js';

export type { Logger };

/**
 * JSON-lines logger on a synchronous file destination (no transports: they need worker files
 * that a single-file bundle cannot carry). Every line passes through value-based redaction,
 * so a secret never reaches the file even when it hides inside an error message.
 */
export function createFileLogger(file: string, secrets: readonly string[], level = 'info'): Logger {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Create it 0600 first: the destination would otherwise follow the umask.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  } catch (error) {
    throw new PrepareError(`cannot create the log file ${file}: ${describeError(error)}`, { cause: error });
  }
  const destination = pino.destination({ dest: file, sync: true, append: true });
  // A full or read-only disk must never kill the supervisor: a lost log line is the lesser harm
  // (the lock and a due eviction are kept in memory and retried on disk). Unhandled, this
  // 'error' (ENOSPC from the destination's flush) would end the process.
  destination.on('error', () => undefined);
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // pino's JSON escapes C0; DEL and C1 are escaped here, so no logged value carries a control.
      hooks: { streamWrite: (line) => escapeControlsInJson(redactSecrets(line, secrets)) },
    },
    destination,
  );
}

/** A logger that drops everything, for commands that only print. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * The file logger, or a silent one when the log cannot be opened (a full or read-only disk): a
 * workspace that must evict still evicts without its log.
 */
export function createLoggerOrSilence(file: string, secrets: readonly string[]): Logger {
  try {
    return createFileLogger(file, secrets);
  } catch {
    return createSilentLogger();
  }
}
