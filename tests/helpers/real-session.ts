// Helpers for tests in which the real runner serves sessions that the Anthropic API double
// assigns: the supervisor's real session wrapper in front of the stand-in claude, the stand-in
// claude's records, and a runner started against the double (inside the network guard).
import fs from 'node:fs';
import path from 'node:path';
import type { PermissionMode } from '../../supervisor/src/config/inputs.js';
import { renderSessionWrapper } from '../../supervisor/src/workspace/session-wrapper.js';
import type { AnthropicDouble } from './anthropic-double.js';
import type { LoopbackNamespace } from './network-guard.js';
import { follow, standInClaude, type Started } from './real-runner.js';

export interface SessionWrapper {
  dir: string;
  file: string;
  lockedFlag: string;
  sessionsFile: string;
  /** Where the stand-in claude records each session (STANDIN_CLAUDE_RECORD). */
  record: string;
}

/** The wrapper that the supervisor writes, exec'ing a copy of the stand-in claude. */
export function sessionWrapper(dir: string, permissionMode: PermissionMode): SessionWrapper {
  fs.mkdirSync(dir, { recursive: true });
  const claude = path.join(dir, 'claude');
  fs.copyFileSync(standInClaude, claude);
  fs.chmodSync(claude, 0o755);
  const file = path.join(dir, 'claude-session');
  const lockedFlag = path.join(dir, 'locked');
  const sessionsFile = path.join(dir, 'sessions');
  fs.writeFileSync(file, renderSessionWrapper({ claudeBinary: claude, permissionMode, lockedFlag, sessionsFile }), {
    mode: 0o755,
  });
  return { dir, file, lockedFlag, sessionsFile, record: path.join(dir, 'claude-record.txt') };
}

export interface ClaudeRecord {
  argv: string[];
  pid: number;
  /** CLAUDE_CODE_REMOTE_SESSION_ID, CLAUDE_RUNNER_SESSION_UUID, CLAUDE_CODE_REMOTE_SESSION_UUID. */
  id: string;
  uuid: string;
  remoteUuid: string;
  /** What the child's stdin is: `socket` or `pipe` (the runner's control channel), or a path. */
  stdin: string;
  fd3: 'open' | 'closed';
}

/** The stand-in claude's records, one per session it started. */
export function claudeRecords(file: string): ClaudeRecord[] {
  if (!fs.existsSync(file)) return [];
  const blocks = fs
    .readFileSync(file, 'utf8')
    .split(/^(?=argv:)/m)
    .filter(Boolean);
  return blocks.map((block) => {
    const line = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1] ?? '';
    const session = line('session');
    const field = (name: string) => new RegExp(`\\b${name}=(\\S*)`).exec(session)?.[1] ?? '';
    return {
      argv: [...line('argv').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? ''),
      pid: Number(field('pid')),
      id: field('id'),
      uuid: field('uuid'),
      remoteUuid: field('remote_uuid'),
      stdin: line('stdin'),
      fd3: line('fd3') === 'open' ? 'open' : 'closed',
    };
  });
}

export interface RunnerRun extends Started {
  dir: string;
  baseDir: string;
}

/** Starts the real runner against the double, with its own folder, base dir and log file. */
export function startRealRunner(
  ns: LoopbackNamespace,
  double: AnthropicDouble,
  options: { name: string; secretFile: string; args?: readonly string[]; env?: Record<string, string> },
): RunnerRun {
  const dir = path.join(ns.dir, options.name);
  fs.mkdirSync(dir, { recursive: true });
  const baseDir = path.join(dir, 'base');
  const run = follow(
    ns.runClaude(
      [
        'self-hosted-runner',
        '--environment-secret-file',
        options.secretFile,
        '--base-dir',
        baseDir,
        '--api-url',
        double.url,
        ...(options.args ?? []),
      ],
      { env: options.env ?? {} },
    ),
  );
  return Object.assign(run, { dir, baseDir });
}

/** A 0600 file holding a credential (an environment secret or a work order). */
export function credentialFile(dir: string, name: string, value: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return file;
}
