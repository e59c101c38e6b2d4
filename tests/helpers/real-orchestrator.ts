// The orchestrator's workspace as the orchestrator module runs it, with the real orchestrator: the
// supervisor bundle (`run --role orchestrator`) as a process, the pinned claude as its
// orchestrator, the bundle's spawn-runner hook, the Anthropic API double and the spawn side of
// the Coder API double, all inside one loopback-only namespace.
import fs from 'node:fs';
import path from 'node:path';
import type { AnthropicDouble } from './anthropic-double.js';
import { flagWords } from './flags.js';
import { claudeAgainstDouble, repoRoot, type LoopbackNamespace } from './network-guard.js';
import { fixtures, follow, type Started } from './real-runner.js';
import { orchestratorBundle as bundle, fastPolicyInputs, killLeftovers, type StatusJson } from './sandbox.js';
import { readIfThere, stateItem, stateStatus } from './state-files.js';

export const spawnToken = 'coder-spawn-token-VALUE-9e1f';
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

export interface CreatedRunnerWorkspace {
  owner: string;
  name: string;
  id: string;
  preset: string | undefined;
  parameters: { name: string; value: string }[];
}

export interface RealOrchestrator {
  stateDir: string;
  created(): CreatedRunnerWorkspace[];
  supervisor: Started;
  status(): StatusJson | undefined;
  item(key: string): string | undefined;
  log(): string;
  /** Deletes the runner template in the Coder double. */
  removeTemplate(): void;
  cleanup(): Promise<void>;
}

export async function realOrchestrator(
  ns: LoopbackNamespace,
  double: AnthropicDouble,
  options: {
    name: string;
    healthPort: number;
    secret?: string;
    template?: string;
    extraFlags?: Record<string, string | number>;
  },
): Promise<RealOrchestrator> {
  const dir = path.join(ns.dir, options.name);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const stateDir = path.join(home, '.local', 'state', 'claude-self-hosted-runner');
  const coder = follow(
    ns.run(tsx, [path.join(fixtures, 'coder-spawn-double-process.ts'), spawnToken, 'claude-runner', 'on-demand', dir]),
  );
  const listening = await coder.waitForLine(/^listening http:\/\/127\.0\.0\.1:\d+\/$/, 30_000);
  const env: Record<string, string> = {
    HOME: home,
    CLAUDE_POOL_SECRET: options.secret ?? (await double.environmentSecret()),
    CODER_SPAWN_TOKEN: spawnToken,
    CODER_AGENT_URL: listening.text.slice('listening '.length),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
  const flags = [
    '--role',
    'orchestrator',
    ...flagWords({
      runnerBinary: claudeAgainstDouble(dir, double.url),
      healthPort: options.healthPort,
      healthIntervalSec: 1,
      restartInitialSec: fastPolicyInputs.restartInitialSec,
      restartMaxSec: fastPolicyInputs.restartMaxSec,
      shortRunSec: fastPolicyInputs.shortRunSec,
      crashLoopThreshold: fastPolicyInputs.crashLoopThreshold,
      drainTimeoutSec: 100,
      runnerTemplate: options.template ?? 'claude-runner',
      runnerPreset: 'on-demand',
      hookTimeoutSec: 20,
      expectedSpawnSec: 60,
      ...options.extraFlags,
    }),
  ];
  const supervisor = follow(ns.run(process.execPath, [bundle, 'run', '--state-dir', stateDir, ...flags], { env }));
  const read = readIfThere;
  return {
    stateDir,
    supervisor,
    created: () =>
      coder.lines.filter((l) => l.text.startsWith('{')).map((l) => JSON.parse(l.text) as CreatedRunnerWorkspace),
    status: () => stateStatus<StatusJson>(stateDir),
    item: (key) => stateItem(stateDir, key),
    removeTemplate: () => fs.writeFileSync(path.join(dir, 'template-gone'), ''),
    log: () =>
      `${read(path.join(stateDir, 'logs', 'supervisor.log')) ?? ''}\n${read(path.join(stateDir, 'logs', 'runner.log')) ?? ''}`,
    cleanup: async () => {
      supervisor.kill('SIGTERM');
      await Promise.race([supervisor.done, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      await killLeftovers(dir);
      coder.kill('SIGTERM');
      await coder.done;
    },
  };
}
