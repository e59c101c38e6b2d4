// A workspace as the module runs it, with the real runner: the supervisor bundle
// (module/supervisor.cjs) as a process, the pinned claude as its runner, the stand-in claude as
// the session's claude, the Anthropic API double and the Coder API double, all inside one
// loopback-only namespace (the supervisor must be in it, since it starts the runner).
import fs from 'node:fs';
import path from 'node:path';
import type { AnthropicDouble } from './anthropic-double.js';
import { execa } from 'execa';
import { claudeAgainstDouble, realClaudeBinary, repoRoot, type LoopbackNamespace } from './network-guard.js';
import { uidOf, workspaceUser } from './isolation-sandbox.js';
import { fixtures, follow } from './real-runner.js';
import { flagWords } from './flags.js';
import { bundle, fastPolicyInputs, killLeftovers, secrets, workspaceId, type StatusJson } from './sandbox.js';
import { readIfThere, stateItem, stateStatus } from './state-files.js';

export interface CoderRequest {
  method: string;
  path: string;
  status: number;
  tokenCheck: boolean;
}

export interface RealWorkspace {
  dir: string;
  stateDir: string;
  /** Where the stand-in claude records each session. */
  claudeRecord: string;
  coderRequests(): CoderRequest[];
  /** Delete builds that the Coder API double created (201 answers). */
  deletes(): number;
  /** Runs a supervisor command (`start`, `stop`, `status`) with this workspace's flags. */
  command(name: 'start' | 'stop' | 'status'): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
  status(): StatusJson | undefined;
  item(key: string): string | undefined;
  runnerLog(): string;
  cleanup(): Promise<void>;
}

const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

export async function realWorkspace(
  ns: LoopbackNamespace,
  double: AnthropicDouble,
  options: {
    name: string;
    capacity?: number;
    healthPort: number;
    extraEnv?: Record<string, string>;
    /** Isolation on (issue 28): the supervisor as the workspace user (with sudo), this runner user. */
    runnerUser?: string;
  },
): Promise<RealWorkspace> {
  const dir = path.join(ns.dir, options.name);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const isolated = options.runnerUser !== undefined;
  if (isolated) {
    // Readable by the runner user and the session user: the binaries and the records of the test.
    fs.chmodSync(ns.dir, 0o755);
    fs.chmodSync(dir, 0o755);
  }
  const stateDir = path.join(home, '.local', 'state', 'claude-self-hosted-runner');
  const claude = path.join(dir, 'opt', 'claude');
  fs.mkdirSync(path.dirname(claude), { recursive: true });
  fs.copyFileSync(path.join(fixtures, 'stand-in-claude.sh'), claude);
  fs.chmodSync(claude, 0o755);
  const claudeRecord = path.join(dir, 'claude-record.txt');
  if (isolated) {
    fs.chmodSync(path.dirname(claude), 0o755);
    fs.writeFileSync(claudeRecord, '', { mode: 0o666 });
    fs.chmodSync(claudeRecord, 0o666);
  }

  const coder = follow(ns.run(tsx, [path.join(fixtures, 'coder-api-double-process.ts'), workspaceId, secrets.token]));
  const listening = await coder.waitForLine(/^listening http:\/\/127\.0\.0\.1:\d+\/$/, 30_000);
  const coderUrl = listening.text.slice('listening '.length);
  const coderRequests = () =>
    coder.lines.filter((l) => l.text.startsWith('{')).map((l) => JSON.parse(l.text) as CoderRequest);

  const env: Record<string, string> = {
    HOME: home,
    CLAUDE_POOL_SECRET: await double.environmentSecret(),
    CODER_SELF_TOKEN: secrets.token,
    CODER_WORKSPACE_ID: workspaceId,
    CODER_AGENT_URL: coderUrl,
    CLAUDE_CAPACITY: String(options.capacity ?? 1),
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    // The tests run as root; claude allows bypassPermissions as root only in a sandbox.
    IS_SANDBOX: '1',
    STANDIN_CLAUDE_RECORD: claudeRecord,
    STANDIN_SESSION_SEC: '120',
    ...options.extraEnv,
  };
  const runnerBinary = claudeAgainstDouble(dir, double.url);
  if (isolated) {
    // The pinned binary lives under /root (0700): a hard link the runner user can run, behind the
    // same guard (--api-url, the double's loopback URL).
    const linked = path.join(dir, 'bin', 'claude-real');
    fs.linkSync(realClaudeBinary(), linked);
    fs.writeFileSync(runnerBinary, fs.readFileSync(runnerBinary, 'utf8').replaceAll(realClaudeBinary(), linked), {
      mode: 0o755,
    });
    fs.chmodSync(path.dirname(linked), 0o755);
    await execa('chown', ['-R', `${workspaceUser}:${workspaceUser}`, home]);
  }
  const flags = flagWords({
    runnerUser: options.runnerUser ?? 'none',
    runnerBinary,
    claudeBinary: claude,
    healthPort: options.healthPort,
    ...fastPolicyInputs,
    dockerSocket: path.join(dir, 'no-docker.sock'),
  });
  const read = readIfThere;
  return {
    dir,
    stateDir,
    claudeRecord,
    coderRequests,
    deletes: () =>
      coderRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/builds') && r.status === 201).length,
    command: async (name) => {
      const args = name === 'start' ? flags : ['--state-dir', stateDir, '--drain-timeout-sec', '100'];
      const node = [process.execPath, bundle, name, ...args];
      const uid = isolated ? uidOf(workspaceUser) : undefined;
      const argv =
        uid === undefined ? node : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--init-groups', '--', ...node];
      const result = await ns.run(argv[0] as string, argv.slice(1), {
        env: isolated ? { ...env, USER: workspaceUser, LOGNAME: workspaceUser } : env,
        timeoutMs: 150_000,
        ...(isolated ? { cwd: '/' } : {}),
      });
      return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    status: () => stateStatus<StatusJson>(stateDir),
    item: (key) => stateItem(stateDir, key),
    runnerLog: () => read(path.join(stateDir, 'logs', 'runner.log')) ?? '',
    cleanup: async () => {
      await killLeftovers(dir);
      coder.kill('SIGTERM');
      await coder.done;
    },
  };
}
