import fs from 'node:fs';

/** What the orchestrator hands the spawn-runner hook (its documented environment). */
export interface SpawnRequest {
  /** The work order itself: a single-use JWT. Never logged, never on a command line. */
  order: string;
  /** Its `jti`: the dedup key, safe to log. */
  orderId: string;
  /** Empty for a standby request (no session binding). */
  sessionId: string | undefined;
  attempt: string | undefined;
  reason: string | undefined;
}

export class SpawnRequestError extends Error {
  override readonly name = 'SpawnRequestError';
}

/** A JWT as the orchestrator hands it out: three base64url parts. */
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The `jti` claim of a JWT's payload, read without checking a signature (it is only a name). */
function jtiOf(order: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(order.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      jti?: unknown;
    };
    return typeof payload.jti === 'string' ? payload.jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the request from the hook's environment, first of all the work order file, which the
 * orchestrator deletes as soon as the hook exits: it is copied into memory at once.
 */
export function readSpawnRequest(env: Readonly<Record<string, string | undefined>>): SpawnRequest {
  const file = env.CLAUDE_RUNNER_WORK_ORDER_FILE;
  if (!file)
    throw new SpawnRequestError(
      "CLAUDE_RUNNER_WORK_ORDER_FILE is not set: run this as the orchestrator's spawn-runner hook",
    );
  let order: string;
  try {
    order = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new SpawnRequestError(
      `cannot read the work order file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  // The value is never quoted: it is the credential the new runner registers with.
  if (!jwtShape.test(order)) throw new SpawnRequestError('the work order file does not hold a work order (a JWT)');
  const orderId = env.CLAUDE_RUNNER_ORDER_ID || jtiOf(order);
  if (!orderId) throw new SpawnRequestError("the request has no order id (CLAUDE_RUNNER_ORDER_ID, or the order's jti)");
  return {
    order,
    orderId,
    sessionId: env.CLAUDE_RUNNER_SESSION_ID || undefined,
    attempt: env.CLAUDE_RUNNER_ATTEMPT || undefined,
    reason: env.CLAUDE_RUNNER_SPAWN_REASON || undefined,
  };
}
