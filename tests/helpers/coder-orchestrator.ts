// The orchestrator of the on-demand mode against the real Coder server of tests/coder: the
// supervisor bundle (`run --role orchestrator`) with the pinned orchestrator, talking to the
// Anthropic API double; its spawn-runner hook creates workspaces of the `ondemand` template for
// the plain member (the runner-owner account), through the real API.
import fs from 'node:fs';
import path from 'node:path';
import type { CoderServerInfo } from './coder-server.js';
import { flagWords } from './flags.js';
import { currentLoopbackNamespace } from './network-guard.js';
import { follow, type Started } from './real-runner.js';
import { orchestratorBundle as bundle, freePort } from './sandbox.js';
import { stateItem, stateStatus } from './state-files.js';

export interface CoderOrchestrator {
  stateDir: string;
  process: Started;
  item(key: string): string | undefined;
  status(): Record<string, unknown> | undefined;
  stop(): Promise<number | undefined>;
}

export async function startCoderOrchestrator(
  info: CoderServerInfo,
  environmentSecret: string,
  dir: string,
  options: { coderUrl?: string; minIdle?: number; template?: string; orderParameter?: string } = {},
): Promise<CoderOrchestrator> {
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const stateDir = path.join(home, 'state');
  // In the loopback-only namespace of scripts/test-coder.sh, with the network guard's environment.
  const child = currentLoopbackNamespace(dir).run(
    process.execPath,
    [
      bundle,
      'run',
      '--role',
      'orchestrator',
      ...flagWords({
        stateDir,
        runnerBinary: info.realRunner,
        runnerTemplate: options.template ?? 'ondemand',
        runnerPreset: 'on-demand',
        healthPort: await freePort(),
        healthIntervalSec: 1,
        hookTimeoutSec: 30,
        expectedSpawnSec: 120,
        minIdle: options.minIdle ?? 0,
        workOrderParameter: options.orderParameter ?? 'work_order',
        drainTimeoutSec: 100,
      }),
    ],
    {
      env: {
        HOME: home,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        CLAUDE_POOL_SECRET: environmentSecret,
        // The runner-owner account: the plain member, creating its own workspaces.
        CODER_SPAWN_TOKEN: info.member.token,
        CODER_AGENT_URL: options.coderUrl ?? info.url,
      },
    },
  );
  const started = follow(child);
  return {
    stateDir,
    process: started,
    item: (key) => stateItem(stateDir, key),
    status: () => stateStatus<Record<string, unknown>>(stateDir),
    stop: async () => {
      started.kill('SIGTERM');
      return (await started.done).exitCode;
    },
  };
}
