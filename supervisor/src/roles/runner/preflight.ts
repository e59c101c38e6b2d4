import fs from 'node:fs';
import path from 'node:path';
import type { PermissionMode } from '../../config/inputs.js';
import { describeError } from '../../shared/errors.js';
import { minimumRunnerVersion } from '../claude-version.js';
import { healthPortProblem } from '../health-port.js';
import { reachProblems } from './preflight-as-user.js';
import { isExecutableFile } from '../../workspace/system-tools.js';
import type { Privilege, RunnerUser } from '../../workspace/runner-user.js';

export interface PreflightOptions {
  runnerBinary: string;
  claudeBinary: string;
  /** Undefined: not checked here (with isolation, `start` made it the runner user's). */
  baseDir: string | undefined;
  healthPort: number;
  permissionMode: PermissionMode;
  /** The uid the runner and its sessions will run as. */
  runnerUid: number;
  /** The runner's environment: claude itself allows root where IS_SANDBOX=1 says the host is the sandbox. */
  runnerEnv: Readonly<Record<string, string | undefined>>;
  /** With isolation: the binaries and the base dir are tried as the runner user (preflight-as-user.ts). */
  runAs?: { via: Privilege; user: RunnerUser; baseDir: string; session?: RunnerUser };
}

/**
 * Checks what would otherwise make the runner or every session fail at once, so the dashboard
 * says what is wrong and how to fix it instead of showing a crash loop. Returns the problems found.
 */
export async function preflightProblems(options: PreflightOptions): Promise<string[]> {
  const problems: string[] = [];
  if (options.runAs) {
    const { via, user, baseDir } = options.runAs;
    problems.push(
      ...(await reachProblems(via, user, [
        { what: 'the runner binary', path: options.runnerBinary, kind: 'exec' },
        { what: 'the claude binary', path: options.claudeBinary, kind: 'exec' },
        { what: 'the base dir', path: baseDir, kind: 'dir' },
      ])),
    );
    // Sessions exec claude as the session user (workspace/session-user.ts).
    const { session } = options.runAs;
    if (session) {
      problems.push(
        ...(await reachProblems(via, session, [
          { what: 'the claude binary', path: options.claudeBinary, kind: 'exec' },
        ])),
      );
    }
  } else if (!isExecutableFile(options.runnerBinary)) {
    problems.push(
      `runner binary ${options.runnerBinary} is missing or not executable: install Claude Code >= ${minimumRunnerVersion.join('.')} in the image or set runner_binary_path`,
    );
  }
  if (!options.runAs && !isExecutableFile(options.claudeBinary)) {
    problems.push(
      `claude binary ${options.claudeBinary} is missing or not executable: sessions would fail; set claude_binary_path`,
    );
  }
  const baseDirProblem = options.baseDir === undefined ? undefined : baseDirWritableProblem(options.baseDir);
  if (baseDirProblem) problems.push(baseDirProblem);
  const rootAllowed = options.runnerEnv.IS_SANDBOX === '1' || Boolean(options.runnerEnv.CLAUDE_CODE_BUBBLEWRAP);
  if (options.runnerUid === 0 && options.permissionMode === 'bypassPermissions' && !rootAllowed) {
    problems.push(
      'the runner would run as root, where claude refuses --permission-mode bypassPermissions, so every session would fail: run the workspace as a non-root user, set permission_mode to auto, or set IS_SANDBOX=1 where the container itself is the sandbox (see README, "Root workspaces")',
    );
  }
  const portProblem = await healthPortProblem(options.healthPort);
  if (portProblem) problems.push(portProblem);
  return problems;
}

/** The runner exits at start when it cannot write its base dir: create it and try a write. */
export function baseDirWritableProblem(baseDir: string): string | undefined {
  try {
    fs.mkdirSync(baseDir, { recursive: true });
    const probe = path.join(baseDir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    return `runner base dir ${baseDir} is not writable (${describeError(error)}): set runner_base_dir to a directory the workspace user owns`;
  }
}
