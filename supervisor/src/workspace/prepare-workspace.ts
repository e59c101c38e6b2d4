import fs from 'node:fs';
import { fixDockerSocketGroup } from './docker-socket.js';
import { execa } from 'execa';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { runnerCredential, type SupervisorConfig } from '../config/config.js';
import { PrepareError, describeError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { StatePaths } from '../state/paths.js';
import { renderGitAskpass, renderSessionWrapper } from './session-wrapper.js';
import {
  isolationFile,
  prepareIsolation,
  saveIsolationRecord,
  type IsolationRecord,
  type RunnerPaths,
} from './isolation.js';
import { isolationLabel } from './runner-user.js';
import { renderSessionEntry, type SessionSwitch } from './session-user.js';

async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(dir, 0o700);
  } catch (error) {
    throw new PrepareError(`cannot create the private directory ${dir}: ${describeError(error)}`, { cause: error });
  }
}

async function writePrepared(file: string, data: string, mode: number, what: string): Promise<void> {
  try {
    writeFileAtomically(file, data, mode);
  } catch (error) {
    throw new PrepareError(`cannot write ${what} ${file}: ${describeError(error)}`, { cause: error });
  }
}

async function gitConfig(args: string[], log: Logger): Promise<void> {
  const result = await execa('git', ['config', '--global', ...args], { reject: false, stdin: 'ignore' });
  if (result.failed) {
    log.warn(
      { args: args.slice(0, 1), error: result.shortMessage },
      'git config failed; sessions may not be able to push with the bot token',
    );
  }
}

/** The wrapper and the askpass script, where the runner will run them from. */
async function writeScripts(
  config: SupervisorConfig,
  runnerPaths: RunnerPaths,
  shared: boolean,
  session?: SessionSwitch,
): Promise<void> {
  if (session) {
    await writePrepared(
      session.entry,
      renderSessionEntry({
        claudeBinary: config.claudeBinary,
        permissionMode: config.permissionMode,
        session: session.user,
      }),
      0o755,
      'the session entry',
    );
  }
  await writePrepared(
    runnerPaths.wrapper,
    renderSessionWrapper({
      claudeBinary: config.claudeBinary,
      permissionMode: config.permissionMode,
      lockedFlag: runnerPaths.lockRecord,
      sessionsFile: runnerPaths.sessionsRecord,
      ...(session ? { switchTo: { sudo: session.sudo, user: session.user.name, entry: session.entry } } : {}),
    }),
    // In the shared dir the runner user runs it but cannot change it.
    shared ? 0o755 : 0o700,
    'the session wrapper',
  );
  if (config.gitBotToken) {
    await writePrepared(runnerPaths.askpass, renderGitAskpass(), shared ? 0o555 : 0o500, 'the git askpass script');
  }
}

/**
 * Prepares the workspace for the runner; every step is idempotent and every file is written
 * atomically. The secret reaches the runner only as a file path. With isolation
 * (docs/isolation.md), the runner's files live with the runner user and in the shared dir;
 * without it, in the state dir as before.
 */
export async function prepareWorkspaceFiles(
  config: SupervisorConfig,
  paths: StatePaths,
  log: Logger,
  workspaceHome: string | undefined = process.env.HOME,
): Promise<IsolationRecord> {
  await ensurePrivateDir(paths.stateDir);
  await ensurePrivateDir(paths.logDir);
  await ensurePrivateDir(paths.itemsDir);
  const record = await prepareIsolation({
    config,
    paths,
    log,
    workspaceHome,
    writeScripts: (runnerPaths, session) => writeScripts(config, runnerPaths, true, session),
  });
  // A marker left by the last stop would make the next drain look like a host drain.
  fs.rmSync(record.paths.drainMarker, { force: true });
  if (!record.isolation.on) {
    log.warn(
      { reason: record.isolation.reason },
      'isolation is off: the runner and its sessions run as the workspace user',
    );
    const credential = runnerCredential(config);
    if (credential) await writePrepared(paths.secretFile, credential, 0o400, 'the environment secret file');
    // A prebuild that waits for its work order keeps no credential at all.
    else fs.rmSync(paths.secretFile, { force: true });
    await writeScripts(config, record.paths, false);
    if (config.gitBotToken) {
      await gitConfig(['core.askPass', paths.askpass], log);
      // An empty helper resets the list, so a helper baked into the image cannot win over askpass.
      await gitConfig(['credential.helper', ''], log);
    }
  }
  try {
    saveIsolationRecord(paths, record);
  } catch (error) {
    throw new PrepareError(`cannot write ${isolationFile(paths)}: ${describeError(error)}`, { cause: error });
  }
  log.info(
    { stateDir: paths.stateDir, gitAskpass: Boolean(config.gitBotToken), isolation: isolationLabel(record.isolation) },
    'workspace prepared',
  );
  return record;
}

/** Everything `start` (and a foreground `run`) prepares before the supervisor runs. */
export async function prepareWorkspace(
  config: SupervisorConfig,
  paths: StatePaths,
  log: Logger,
): Promise<IsolationRecord> {
  // The docker group first: the runner user joins the socket's group once it is right.
  await fixDockerSocketGroup(config.dockerSocket, log);
  return prepareWorkspaceFiles(config, paths, log);
}
