/** Exit codes of the CLI (sysexits-style), stable for scripts and the launcher. */
export const ExitCode = {
  ok: 0,
  /** Unknown command or flag. */
  usage: 64,
  /** Runtime failure: something outside our control went wrong. */
  runtime: 70,
  /** The workspace could not be prepared (a file or directory could not be written). */
  cannotCreate: 73,
  /** The configuration is invalid. */
  config: 78,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode = 'SUP_ERR_USAGE' | 'SUP_ERR_CONFIG' | 'SUP_ERR_PREPARE' | 'SUP_ERR_LOCK' | 'SUP_ERR_DETACH';

/** Base class: every failure a caller may act on has a stable `code` and an exit code. */
export class SupervisorError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  constructor(code: ErrorCode, exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

export class UsageError extends SupervisorError {
  constructor(message: string) {
    super('SUP_ERR_USAGE', ExitCode.usage, message);
  }
}

/** Every configuration problem at once, one line each, by name. */
export class ConfigError extends SupervisorError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      'SUP_ERR_CONFIG',
      ExitCode.config,
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.problems = problems;
  }
}

export class PrepareError extends SupervisorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUP_ERR_PREPARE', ExitCode.cannotCreate, message, options);
  }
}

export class LockError extends SupervisorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUP_ERR_LOCK', ExitCode.runtime, message, options);
  }
}

export class DetachError extends SupervisorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUP_ERR_DETACH', ExitCode.runtime, message, options);
  }
}

/** A failure that the detached supervisor reported to `start`, with its own code and exit code. */
export class ReportedError extends SupervisorError {
  constructor(code: string, exitCode: ExitCode, message: string) {
    const known = ['SUP_ERR_USAGE', 'SUP_ERR_CONFIG', 'SUP_ERR_PREPARE', 'SUP_ERR_LOCK', 'SUP_ERR_DETACH'];
    super(known.includes(code) ? (code as ErrorCode) : 'SUP_ERR_DETACH', exitCode, message);
  }
}

/** The message of any thrown value, with the code of a Node system error when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
