import fs from 'node:fs';
import { fixDockerSocketGroup } from './docker-socket.js';
import { execa } from 'execa';
import { writeFileAtomically } from '../shared/atomic-file.js';
import type { SupervisorConfig } from '../config/config.js';
import { PrepareError, describeError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { StatePaths } from '../state/paths.js';
import { renderGitAskpass, renderSessionWrapper } from './session-wrapper.js';

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

/**
 * Prepares the workspace for the runner; every step is idempotent and every file is written
 * atomically. The secret reaches the runner only as a file path.
 */
export async function prepareWorkspaceFiles(config: SupervisorConfig, paths: StatePaths, log: Logger): Promise<void> {
  await ensurePrivateDir(paths.stateDir);
  await ensurePrivateDir(paths.logDir);
  await ensurePrivateDir(paths.itemsDir);
  // A marker left by the last stop would make the next drain look like a host drain.
  fs.rmSync(paths.drainMarker, { force: true });
  await writePrepared(paths.secretFile, config.poolSecret, 0o400, 'the environment secret file');
  await writePrepared(
    paths.wrapper,
    renderSessionWrapper({
      claudeBinary: config.claudeBinary,
      permissionMode: config.permissionMode,
      lockedFlag: paths.lockedFlag,
      sessionsFile: paths.sessionsFile,
    }),
    0o700,
    'the session wrapper',
  );
  if (config.gitBotToken) {
    await writePrepared(paths.askpass, renderGitAskpass(), 0o500, 'the git askpass script');
    await gitConfig(['core.askPass', paths.askpass], log);
    // An empty helper resets the list, so a helper baked into the image cannot win over askpass.
    await gitConfig(['credential.helper', ''], log);
  }
  log.info({ stateDir: paths.stateDir, gitAskpass: Boolean(config.gitBotToken) }, 'workspace prepared');
}

/** Everything `start` (and a foreground `run`) prepares before the supervisor runs. */
export async function prepareWorkspace(config: SupervisorConfig, paths: StatePaths, log: Logger): Promise<void> {
  await prepareWorkspaceFiles(config, paths, log);
  await fixDockerSocketGroup(config.dockerSocket, log);
}
