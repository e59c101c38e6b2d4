import fs from 'node:fs';
import path from 'node:path';
import type { OrchestratorConfig } from '../../config/config.js';
import { writeFileAtomically } from '../../shared/atomic-file.js';
import { PrepareError, describeError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import { shellQuote } from '../../shared/shell-quote.js';
import type { StatePaths } from '../../state/paths.js';
import { writeSpawnConfig } from '../../spawn/spawn-config.js';
import { unisolatedPaths, type IsolationRecord } from '../../workspace/isolation.js';

/** The hook must end within --hook-timeout: its own deadline leaves the orchestrator 5 s. */
const hookDeadlineMarginSec = 5;

function write(file: string, text: string, mode: number, what: string): void {
  try {
    writeFileAtomically(file, text, mode);
  } catch (error) {
    throw new PrepareError(`cannot write ${what} ${file}: ${describeError(error)}`, { cause: error });
  }
}

/** The hook script: runs this very bundle's spawn-runner command, with its config file only. */
export function renderSpawnHook(node: string, bundle: string, configFile: string): string {
  return `#!/bin/sh\n# The orchestrator's spawn-runner hook (claude-self-hosted-runner): one request, one Coder workspace.\nexec ${shellQuote(node)} ${shellQuote(bundle)} spawn-runner --config ${shellQuote(configFile)}\n`;
}

/**
 * Prepares the orchestrator's host: the environment secret (0400) as its --environment-secret-file,
 * and its hooks dir with the spawn-runner hook (0500) and the hook's config (0400, with the Coder
 * token). The orchestrator runs no user code, so it runs as the workspace user: no runner user.
 */
export async function prepareOrchestrator(
  config: OrchestratorConfig,
  paths: StatePaths,
  log: Logger,
  bundle: string,
): Promise<IsolationRecord> {
  for (const dir of [paths.stateDir, paths.logDir, paths.itemsDir, paths.hooksDir]) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700);
    } catch (error) {
      throw new PrepareError(`cannot create the private directory ${dir}: ${describeError(error)}`, { cause: error });
    }
  }
  write(paths.secretFile, config.poolSecret, 0o400, 'the environment secret file');
  try {
    writeSpawnConfig(
      paths.spawnConfig,
      {
        coderUrl: config.agentUrl,
        token: config.coderToken,
        owner: config.runnerOwner,
        organization: config.runnerOrganization,
        template: config.runnerTemplate,
        preset: config.runnerPreset,
        orderParameter: config.workOrderParameter,
        namePrefix: config.workspaceNamePrefix,
        deadlineMs: (config.hookTimeoutSec - hookDeadlineMarginSec) * 1000,
      },
      (file, text) => write(file, text, 0o400, 'the spawn hook config'),
    );
  } catch (error) {
    if (error instanceof PrepareError) throw error;
    throw new PrepareError(`the spawn hook config is not valid: ${describeError(error)}`);
  }
  write(
    path.join(paths.hooksDir, 'spawn-runner'),
    renderSpawnHook(process.execPath, bundle, paths.spawnConfig),
    0o500,
    'the spawn-runner hook',
  );
  log.info({ stateDir: paths.stateDir, hooksDir: paths.hooksDir }, 'orchestrator prepared');
  return { isolation: { on: false, reason: 'the orchestrator runs no user code' }, paths: unisolatedPaths({}, paths) };
}
