import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { startCoderApiDouble, type CoderApiDouble } from '../../fixtures/coder-api-double.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const bundle = path.join(repoRoot, 'module', 'supervisor.cjs');
const fixtures = path.join(repoRoot, 'tests', 'fixtures');

export const secrets = {
  pool: 'pool-secret-VALUE-7f3a9c',
  token: 'coder-token-VALUE-d41e88',
  git: 'git-token-VALUE-a0b1c2',
};
export const workspaceId = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Sandbox {
  dir: string;
  home: string;
  stateDir: string;
  runnerBinary: string;
  claudeBinary: string;
  events: string;
  claudeRecord: string;
  api: CoderApiDouble;
  healthPort: number;
  env: Record<string, string>;
  /** Flags that make the policy fast enough for tests. */
  flags: string[];
  cleanup(): Promise<void>;
}

export interface SandboxOptions {
  scenarios?: string;
  claudeDirName?: string;
  gitToken?: boolean;
  extraEnv?: Record<string, string>;
}

export async function makeSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir);
  const runnerBinary = path.join(binDir, 'claude');
  fs.copyFileSync(path.join(fixtures, 'stand-in-runner.mjs'), runnerBinary);
  fs.chmodSync(runnerBinary, 0o755);
  const claudeDir = path.join(dir, options.claudeDirName ?? 'opt');
  fs.mkdirSync(claudeDir, { recursive: true });
  const claudeBinary = path.join(claudeDir, 'claude');
  fs.copyFileSync(path.join(fixtures, 'stand-in-claude.sh'), claudeBinary);
  fs.chmodSync(claudeBinary, 0o755);
  const api = await startCoderApiDouble({ workspaceId, token: secrets.token });
  const healthPort = await freePort();
  const events = path.join(dir, 'events.jsonl');
  const claudeRecord = path.join(dir, 'claude-record.txt');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_POOL_SECRET: secrets.pool,
    CODER_SELF_TOKEN: secrets.token,
    CODER_WORKSPACE_ID: workspaceId,
    CODER_AGENT_URL: api.url,
    CLAUDE_CAPACITY: '4',
    STANDIN_SCENARIOS: options.scenarios ?? 'idle',
    STANDIN_COUNTER: path.join(dir, 'runs'),
    STANDIN_EVENTS: events,
    STANDIN_CLAUDE_RECORD: claudeRecord,
    STANDIN_SESSION_SEC: '0.4',
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    ...(options.gitToken ? { GIT_BOT_TOKEN: secrets.git } : {}),
    ...options.extraEnv,
  };
  return {
    dir,
    home,
    stateDir: path.join(home, '.claude', 'self-hosted-runner'),
    runnerBinary,
    claudeBinary,
    events,
    claudeRecord,
    api,
    healthPort,
    env,
    flags: [
      '--runner-binary',
      runnerBinary,
      '--claude-binary',
      claudeBinary,
      '--health-port',
      String(healthPort),
      '--health-interval-sec',
      '1',
      '--restart-initial-sec',
      '1',
      '--restart-max-sec',
      '2',
      '--short-run-sec',
      '10',
      '--crash-loop-threshold',
      '3',
      '--drain-timeout-sec',
      '4',
      '--eviction-deadline-sec',
      '30',
      '--eviction-retry-base-ms',
      '50',
      '--docker-socket',
      path.join(dir, 'no-docker.sock'),
    ],
    cleanup: async () => {
      await killLeftovers(dir);
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills any process still running from this sandbox (a failed test must not leak runners). */
async function killLeftovers(dir: string): Promise<void> {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(dir)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone or not ours
    }
  }
}

export function runBundle(
  sandbox: Sandbox,
  args: string[],
  extraEnv: Record<string, string> = {},
): ResultPromise<{ reject: false; env: Record<string, string>; extendEnv: false; stdin: 'ignore' }> {
  return execa(process.execPath, [bundle, ...args], {
    reject: false,
    env: { ...sandbox.env, ...extraEnv },
    extendEnv: false,
    stdin: 'ignore',
  });
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface StatusJson {
  state: string;
  reason: string;
  locked: boolean;
  restarts: number;
  runnerPid?: number;
  runnerId?: string;
  sessionsSeen: number;
  lastError?: string;
  supervisorPid?: number;
  eviction?: { outcome: string; attempts: number; lastStatus?: number; message: string };
}

export function readStatusFile(sandbox: Sandbox): StatusJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(sandbox.stateDir, 'status.json'), 'utf8')) as StatusJson;
  } catch {
    return undefined;
  }
}

export function readItem(sandbox: Sandbox, key: string): string | undefined {
  try {
    return fs.readFileSync(path.join(sandbox.stateDir, 'items', key), 'utf8');
  } catch {
    return undefined;
  }
}

export interface StandInEvent {
  event: string;
  pid: number;
  argv?: string[];
  envKeys?: string[];
  secretInEnv?: boolean;
  code?: number;
  activity?: string;
  [key: string]: unknown;
}

export function standInEvents(sandbox: Sandbox): StandInEvent[] {
  try {
    return fs
      .readFileSync(sandbox.events, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as StandInEvent);
  } catch {
    return [];
  }
}

/** Every file under a directory, concatenated, for secret greps. */
export function allFileText(dir: string): string {
  let text = '';
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        try {
          text += `\n--- ${p}\n${fs.readFileSync(p, 'utf8')}`;
        } catch {
          // unreadable (0400 secret file as non-owner): not ours to grep
        }
      }
    }
  };
  walk(dir);
  return text;
}
