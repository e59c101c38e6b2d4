// The Anthropic API double (tests/fixtures/anthropic-api-double.mjs) as a process in a
// loopback-only namespace, and its control API reached from the test over a Unix socket (a
// socket file crosses network namespaces; the double's TCP port lives only inside).
import http from 'node:http';
import path from 'node:path';
import type { LoopbackNamespace } from './network-guard.js';
import { fixtures, follow } from './real-runner.js';

export type DoubleMode = 'ok' | 'bad-secret' | 'not-enabled' | 'token-expired';

export interface DoubleSession {
  id: string;
  uuid: string;
  spawn: boolean;
  state: 'waiting' | 'assigned' | 'released' | 'failed' | 'closed' | 'detached';
  runnerId?: string;
  assignedAt?: number;
  tokens: number;
  workerEpoch: number;
  heartbeats: number;
  released?: { at: number };
  failure?: { at: number; reason?: string; failure_kind?: string };
}

export interface DoubleOrder {
  jti: string;
  kind: 'session' | 'standby';
  sessionId?: string;
  attempt: number;
  reason: string;
  jwt: string;
  iat: number;
  exp: number;
  state: 'queued' | 'handed-out' | 'redeemed' | 'superseded';
  runnerId?: string;
  registrations: number;
}

export interface DoubleRunner {
  id: string;
  credential: 'environment' | 'work-order';
  orderJti?: string;
  boundSessionId?: string;
  registerBody?: Record<string, unknown>;
  polls: number;
  lastPollBody?: { available_capacity?: number; poll_wait_seconds?: number };
  deregistered?: { at: number; body: { reason?: string } };
}

export interface DoubleNack {
  at: number;
  session_uuid: string;
  attempt: number;
  error: string;
  retryable: boolean;
  failure_kind?: string;
  user_message?: string;
}

export interface DoubleState {
  poolId: string;
  runners: DoubleRunner[];
  sessions: DoubleSession[];
  orders: DoubleOrder[];
  orchestrators: { uuid: string; polls: number; lastPollBody: Record<string, unknown> }[];
  nacks: DoubleNack[];
}

export interface DoubleRequest {
  at: number;
  method: string;
  path: string;
  body: string;
}

export interface AnthropicDouble {
  url: string;
  requests(): DoubleRequest[];
  state(): Promise<DoubleState>;
  environmentSecret(): Promise<string>;
  createSession(options?: {
    spawn?: boolean;
    forRunner?: string;
    sources?: { type: string; url: string; revision?: string }[];
    claudeCodeArgs?: Record<string, string>;
  }): Promise<DoubleSession>;
  closeSession(id: string): Promise<DoubleSession>;
  mintOrder(options?: {
    kind?: 'session' | 'standby';
    sessionId?: string;
    expiresInSec?: number;
  }): Promise<DoubleOrder>;
  changeOrder(
    jti: string,
    change: { supersede?: boolean; expire?: boolean; refuse?: { status: number; type: string; reason?: string } },
  ): Promise<DoubleOrder>;
  /** Polls the state until `probe` gives a value. */
  waitFor<T>(what: string, probe: (state: DoubleState) => T | undefined | false, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export const anthropicDoubleScript = path.join(fixtures, 'anthropic-api-double.mjs');

function control<T>(socketPath: string, method: string, route: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request(
      {
        socketPath,
        method,
        path: route,
        headers: { 'content-type': 'application/json', 'content-length': data.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`double ${method} ${route}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as T);
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Starts the double inside the namespace and waits until it listens. */
export async function startAnthropicDouble(
  ns: Pick<LoopbackNamespace, 'dir' | 'run'>,
  port: number,
  mode: DoubleMode = 'ok',
): Promise<AnthropicDouble> {
  const socket = path.join(ns.dir, `anthropic-double-${port}.sock`);
  const followed = follow(
    ns.run(process.execPath, [anthropicDoubleScript, String(port), mode, '--control-socket', socket]),
  );
  await followed.waitForLine(/^listening \d+$/, 15_000);
  const call = <T>(method: string, route: string, body?: unknown) => control<T>(socket, method, route, body);
  const state = () => call<DoubleState>('GET', '/_double/state');
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      followed.lines.filter((line) => line.text.startsWith('{')).map((line) => JSON.parse(line.text) as DoubleRequest),
    state,
    environmentSecret: async () => (await call<{ secret: string }>('GET', '/_double/environment-secret')).secret,
    createSession: (options = {}) => call('POST', '/_double/sessions', options),
    closeSession: (id) => call('POST', `/_double/sessions/${encodeURIComponent(id)}/close`, {}),
    mintOrder: (options = {}) => call('POST', '/_double/work-orders', options),
    changeOrder: (jti, change) => call('POST', `/_double/work-orders/${encodeURIComponent(jti)}`, change),
    async waitFor(what, probe, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const seen = await state();
        const value = probe(seen);
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline)
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the double: ${JSON.stringify(seen)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: async () => {
      followed.kill('SIGTERM');
      await followed.done;
    },
  };
}
