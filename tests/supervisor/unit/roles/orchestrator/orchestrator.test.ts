import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunConfig, type OrchestratorConfig } from '../../../../../supervisor/src/config/config.js';
import { classifyOrchestratorExit } from '../../../../../supervisor/src/roles/orchestrator/classify-exit.js';
import { buildOrchestratorArgs } from '../../../../../supervisor/src/roles/orchestrator/orchestrator-args.js';
import {
  parseOrchestratorHealth,
  parseOrchestratorMetrics,
} from '../../../../../supervisor/src/roles/orchestrator/orchestrator-health.js';
import { repoRoot } from '../../../../helpers/repo-root.js';

/** Real bodies and lines of the pinned orchestrator (tests/runner measures them live). */
const recorded = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'orchestrator-health-2.1.330.json'), 'utf8'),
) as Record<string, string | number>;

const env = {
  HOME: '/home/coder',
  CLAUDE_POOL_SECRET: 'sk-ant-x',
  CODER_SPAWN_TOKEN: 'spawn-token-x',
  CODER_AGENT_URL: 'https://coder.example.com/',
};
const load = (flags: string[] = []) =>
  loadRunConfig(['--role', 'orchestrator', '--runner-template', 'claude-runner', ...flags], env)
    .config as OrchestratorConfig;

describe('the orchestrator role', () => {
  it('takes its own inputs, with the defaults of the table, and none of the runner', () => {
    const config = load();
    expect(config).toMatchObject({
      role: 'orchestrator',
      runnerOwner: 'me',
      runnerOrganization: 'default',
      workOrderParameter: 'work_order',
      workspaceNamePrefix: 'claude-run',
      hookConcurrency: 4,
      hookTimeoutSec: 60,
      expectedSpawnSec: 120,
      minIdle: 0,
    });
    expect(() => loadRunConfig(['--role', 'orchestrator', '--runner-template', 'x', '--capacity', '2'], env)).toThrow(
      /Unknown option '--capacity'/,
    );
  });

  it('refuses a lease that does not exceed the hook timeout plus 5 s, and a missing secret or token, by name', () => {
    expect(() => load(['--hook-timeout-sec', '60', '--expected-spawn-sec', '65'])).toThrow(
      /--hook-timeout-sec: expected less than --expected-spawn-sec minus 5 \(60\), got 60/,
    );
    expect(() => loadRunConfig(['--role', 'orchestrator'], { HOME: '/h', CODER_AGENT_URL: 'https://c/' })).toThrow(
      /CODER_SPAWN_TOKEN: is required[\s\S]*--runner-template: is required[\s\S]*CLAUDE_POOL_SECRET: is required when --role is orchestrator/,
    );
  });

  it('passes the secret only as a file, the hooks dir, and a shutdown drain of the hook timeout plus 10', () => {
    const args = buildOrchestratorArgs(load(['--min-idle', '2']), { secretFile: '/s/secret', hooksDir: '/s/hooks' });
    expect(args).toEqual([
      'self-hosted-runner',
      'orchestrator',
      '--environment-secret-file',
      '/s/secret',
      '--hooks-dir',
      '/s/hooks',
      '--hook-concurrency',
      '4',
      '--hook-timeout',
      '60',
      '--expected-spawn-seconds',
      '120',
      '--shutdown-drain-sec',
      '70',
      '--health-port',
      '8080',
      '--min-idle',
      '2',
    ]);
    expect(args.join(' ')).not.toContain('sk-ant-x');
  });

  it('reads its real /healthz, connected and during an outage, and its hook counters', () => {
    expect(parseOrchestratorHealth(recorded.healthzConnected as string)).toMatchObject({
      connected: true,
      lastPollAt: '2026-12-01T12:13:24.630Z',
      lastError: undefined,
      warmHintsDispatched: 1,
      pending: 0,
    });
    expect(parseOrchestratorHealth(recorded.healthzOutage as string)).toMatchObject({
      connected: false,
      lastError: 'connect ECONNREFUSED 127.0.0.1:18799',
      pending: undefined,
    });
    expect(parseOrchestratorHealth('not json')).toBeUndefined();
    expect(parseOrchestratorMetrics(recorded.metrics as string)).toEqual({
      hooksOk: 1,
      hooksRetryable: 2,
      hooksNonRetryable: 1,
    });
  });

  it('tells a refused secret (a crash loop to quarantine) from a clean stop, from its real lines', () => {
    const refused = classifyOrchestratorExit(
      { exitCode: recorded.refusedSecretExitCode as number, signal: undefined, runtimeMs: 300, spawnError: undefined },
      [recorded.refusedSecretLine as string],
    );
    expect(refused.kind).toBe('secret-refused');
    expect(
      classifyOrchestratorExit({ exitCode: 0, signal: undefined, runtimeMs: 9000, spawnError: undefined }, [
        recorded.outageLine as string,
      ]).kind,
    ).toBe('clean');
    expect(
      classifyOrchestratorExit({ exitCode: 1, signal: undefined, runtimeMs: 300, spawnError: undefined }, [
        '2026-12-01T00:00:00.000Z [self-hosted-runner] [runner:fatal] PollSpawnHints rejected (HTTP 426): orchestrator version too old',
      ]).kind,
    ).toBe('config-error');
  });
});
