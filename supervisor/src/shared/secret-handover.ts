import type { ChildProcess } from 'node:child_process';
import { sendToParent } from './parent-channel.js';

/**
 * The secret handover between `start` and the detached supervisor. `start` (short-lived: it
 * exits within about a second) reads the secrets from its environment, spawns the supervisor
 * with an environment without them, and hands them over on the IPC channel when the child asks.
 * The long-lived supervisor then holds them in memory only: nothing in /proc/<pid>/environ (which
 * holds a process's environment as it was at exec, whatever it later deletes) nor on argv.
 *
 * The Coder agent itself keeps them in its own environment (coder_env): that is outside the
 * module's reach.
 */

/** The variables that never reach the detached supervisor's environment. */
export const handedOverNames = [
  'CLAUDE_POOL_SECRET',
  'CODER_SELF_TOKEN',
  'GIT_BOT_TOKEN',
  'CLAUDE_WORK_ORDER',
  'CODER_SPAWN_TOKEN',
] as const;

/** Set (to "ipc") in the child's environment: it asks its parent for the secrets. */
export const handoverMarker = 'CSR_SECRET_HANDOVER';

export interface SecretsRequest {
  type: 'secrets-please';
}

export interface SecretsMessage {
  type: 'secrets';
  values: Record<string, string>;
}

export function withoutHandedOver(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (!(handedOverNames as readonly string[]).includes(key)) out[key] = value;
  }
  return out;
}

export function handedOverValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of handedOverNames) {
    const value = env[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** Parent side: answers the child's request once. */
export function serveSecrets(child: ChildProcess, env: NodeJS.ProcessEnv): void {
  const onMessage = (message: unknown): void => {
    if ((message as Partial<SecretsRequest>)?.type !== 'secrets-please') return;
    child.off('message', onMessage);
    const reply: SecretsMessage = { type: 'secrets', values: handedOverValues(env) };
    child.send(reply);
  };
  child.on('message', onMessage);
}

/** Child side: asks for the secrets and returns an in-memory environment that has them. */
export function receiveSecrets(env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<NodeJS.ProcessEnv> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('the secret handover needs an IPC channel to the parent (start)'));
      return;
    }
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error(`start did not hand over the secrets within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onMessage = (message: unknown): void => {
      const reply = message as Partial<SecretsMessage>;
      if (reply?.type !== 'secrets' || typeof reply.values !== 'object' || reply.values === null) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      const merged = Object.fromEntries(Object.entries(env).filter(([key]) => key !== handoverMarker));
      resolve({ ...merged, ...reply.values });
    };
    process.on('message', onMessage);
    const request: SecretsRequest = { type: 'secrets-please' };
    void sendToParent(request).then((sent) => {
      if (sent) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      reject(new Error('the parent that holds the secrets is gone before it could hand them over'));
    });
  });
}
