// The bundle's spawn-runner hook as the orchestrator runs it: a process with the hook's
// environment (the order in a 0600 file, its id and session beside it) and the 0400 config file
// that the orchestrator's supervisor writes. One place for the tests and the demo.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { SpawnConfig } from '../../supervisor/src/spawn/spawn-config.js';
import { orchestratorBundle as bundle } from './sandbox.js';

/** The spawn config of the tests: the runner-owner's own workspaces of claude-runner, preset on-demand. */
export function spawnConfigFor(coderUrl: string, token: string, overrides: Partial<SpawnConfig> = {}): SpawnConfig {
  return {
    coderUrl,
    token,
    owner: 'me',
    organization: 'default',
    template: 'claude-runner',
    preset: 'on-demand',
    orderParameter: 'work_order',
    namePrefix: 'claude-run',
    deadlineMs: 20_000,
    ...overrides,
  };
}

/** A work order as the orchestrator hands it: a JWT whose payload names it (`jti`); the signature is opaque. */
export function workOrderFor(jti: string): string {
  const claims = Buffer.from(JSON.stringify({ jti, 'ccr:role': 'pool_spawn' })).toString('base64url');
  return `eyJhbGciOiJIUzI1NiJ9.${claims}.c2lnbmF0dXJlLVZBTFVF`;
}

export interface SpawnHookRun {
  /** A folder of the caller's for the config and the order file. */
  dir: string;
  config: SpawnConfig;
  order: string;
  orderId: string;
  /** More of the hook's environment (CLAUDE_RUNNER_SESSION_ID, _ATTEMPT, _ACCOUNT_EMAIL...). */
  env?: Record<string, string>;
}

export async function runSpawnHook(run: SpawnHookRun) {
  const tag = Math.random().toString(36).slice(2);
  const configFile = path.join(run.dir, `spawn-config-${tag}.json`);
  fs.writeFileSync(configFile, JSON.stringify(run.config), { mode: 0o400 });
  const orderFile = path.join(run.dir, `order-${tag}`);
  fs.writeFileSync(orderFile, run.order, { mode: 0o600 });
  return execa(process.execPath, [bundle, 'spawn-runner', '--config', configFile], {
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '',
      CLAUDE_RUNNER_WORK_ORDER_FILE: orderFile,
      CLAUDE_RUNNER_ORDER_ID: run.orderId,
      ...run.env,
    },
  });
}
