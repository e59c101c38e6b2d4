import type { OrchestratorConfig } from '../../config/config.js';
import type { CheckVerdict } from '../../coder-api/answer.js';
import type { PolicyState } from '../../lifecycle/policy-types.js';
import type { RoleProfile } from '../../lifecycle/role-profile.js';
import type { RoleStatus } from '../../lifecycle/status-projection.js';
import { capProcessLog, ProcessLogReader } from '../../process/process-log.js';
import { stoppedProcess } from '../../process/process-state.js';
import type { ProcessExit, ProcessHandle, SpawnOptions } from '../../process/supervised-process.js';
import { getLocalText } from '../../shared/local-http.js';
import type { Logger } from '../../shared/log.js';
import type { StatePaths } from '../../state/paths.js';
import type { SupervisorStatus } from '../../state/status.js';
import { isExecutableFile } from '../../workspace/system-tools.js';
import { ChildLiveness } from '../child-liveness.js';
import { runnerEnvironment } from '../claude-environment.js';
import type { RunnerVersion } from '../claude-version.js';
import { healthPortProblem } from '../health-port.js';
import type { ExitVerdict, RoleLimits, SupervisedRole, WatchHooks } from '../role.js';
import { buildOrchestratorArgs } from './orchestrator-args.js';
import { orchestratorDisplay } from './orchestrator-display.js';
import { orchestratorItems } from './orchestrator-items.js';
import { orchestratorProfile } from './orchestrator-profile.js';
import type { OrchestratorRoleRuntime } from './orchestrator-runtime.js';
import type { OrchestratorView } from './orchestrator-status.js';
import { classifyOrchestratorExit } from './classify-exit.js';
import { parseOrchestratorHealth, parseOrchestratorMetrics } from './orchestrator-health.js';

const logMaxBytes = 10 * 1024 * 1024;
/** /metrics is read every this many health polls (its hook counters change slowly). */
const metricsEveryPolls = 3;
/** An orchestrator whose /healthz is silent this long no longer works (it answers at once while it lives). */
const silentBoundMs = 5 * 60_000;

/**
 * The orchestrator (`claude self-hosted-runner orchestrator`) as a role: a long-lived host that
 * holds the environment secret and runs the bundle's spawn-runner hook once per spawn request.
 * Restarted with the same backoff and quarantine rules as the runner, never self-evicting.
 */
export class OrchestratorRole implements SupervisedRole {
  readonly profile: RoleProfile = orchestratorProfile;
  /** A long-lived host: no lifetime, no cap, no order to wait for. */
  readonly limits: RoleLimits = { maxLifetimeMs: 0, maxLockedMs: 0, orderWaitMs: 0 };
  readonly hasOrder = false;
  /** Its view changes only when the orchestrator's answers do. */
  readonly volatileFields: readonly string[] = [];
  private version: RunnerVersion | undefined;
  private logReader: ProcessLogReader | undefined;
  private timer: NodeJS.Timeout | undefined;
  private view: OrchestratorView;

  constructor(
    private readonly config: OrchestratorConfig,
    private readonly paths: StatePaths,
    private readonly log: Logger,
    private readonly runtime: OrchestratorRoleRuntime,
  ) {
    this.view = {
      connected: undefined,
      lastPollAt: undefined,
      lastError: undefined,
      hooks: undefined,
      standbyDispatched: undefined,
      minIdle: config.minIdle,
      pending: undefined,
    };
  }

  restore(): void {
    // A long-lived host starts its view afresh: the orchestrator's counters start at 0 too.
  }

  async preflight(): Promise<string[]> {
    const problems: string[] = [];
    if (!isExecutableFile(this.config.runnerBinary)) {
      problems.push(
        `runner binary ${this.config.runnerBinary} is missing or not executable: install Claude Code in the image or set runner_binary_path`,
      );
    }
    const port = await healthPortProblem(this.config.healthPort);
    if (port) problems.push(port);
    return problems;
  }

  async checkCredentials(): Promise<CheckVerdict> {
    const check = await this.runtime.checkToken(
      {
        coderUrl: this.config.agentUrl,
        token: this.config.coderToken,
        owner: this.config.runnerOwner,
        organization: this.config.runnerOrganization,
        template: this.config.runnerTemplate,
        preset: this.config.runnerPreset,
        orderParameter: this.config.workOrderParameter,
        requestTimeoutMs: this.config.evictionRequestTimeoutMs,
      },
      this.runtime.http,
    );
    if (check.verdict === 'refused') this.log.error({ problem: check.problem }, 'the spawn token check failed');
    if (check.verdict === 'unknown') this.log.warn({ problem: check.problem }, 'could not check the spawn token');
    return check;
  }

  async spawnOptions(): Promise<{ options: SpawnOptions; version: string }> {
    try {
      this.version ??= await this.runtime.detectRunnerVersion(this.config.runnerBinary);
    } catch {
      this.version = { raw: 'unknown', parts: undefined };
    }
    const args = buildOrchestratorArgs(this.config, {
      secretFile: this.paths.secretFile,
      hooksDir: this.paths.hooksDir,
    });
    capProcessLog(this.paths.runnerLog, logMaxBytes);
    this.logReader = new ProcessLogReader(this.paths.runnerLog);
    this.log.info({ version: this.version.raw, args }, 'starting the orchestrator');
    return {
      options: {
        binary: this.config.runnerBinary,
        args,
        env: runnerEnvironment(this.runtime.env),
        outputFile: this.paths.runnerLog,
        cwd: this.paths.stateDir,
        now: this.runtime.now,
      },
      version: this.version.raw,
    };
  }

  wrapHandle(handle: ProcessHandle): ProcessHandle {
    return handle;
  }

  watch(handle: ProcessHandle, hooks: WatchHooks): void {
    let polls = 0;
    const liveness = new ChildLiveness('orchestrator', this.runtime.now(), silentBoundMs);
    let registered = false;
    const base = `http://127.0.0.1:${this.config.healthPort}`;
    const poll = async (): Promise<void> => {
      if (!handle.isAlive()) return;
      const withMetrics = polls % metricsEveryPolls === 0;
      polls += 1;
      const [body, metrics] = await Promise.all([
        getLocalText(`${base}/healthz`),
        withMetrics ? getLocalText(`${base}/metrics`) : Promise.resolve(undefined),
      ]);
      if (!handle.isAlive()) return;
      capProcessLog(this.paths.runnerLog, logMaxBytes);
      const health = body === undefined ? undefined : parseOrchestratorHealth(body);
      const now = this.runtime.now();
      if (health) {
        Object.assign(this.view, {
          connected: health.connected,
          lastPollAt: health.lastPollAt,
          lastError: health.lastError,
          standbyDispatched: health.warmHintsDispatched,
          pending: health.pending,
        });
        if (health.connected && !registered) {
          registered = true;
          hooks.registered();
        }
      }
      if (metrics !== undefined) {
        const m = parseOrchestratorMetrics(metrics);
        this.view.hooks = {
          ok: m.hooksOk ?? 0,
          retryable: m.hooksRetryable ?? 0,
          nonRetryable: m.hooksNonRetryable ?? 0,
        };
      }
      const stopped = handle.pid === undefined ? undefined : stoppedProcess(handle.pid);
      const reason = liveness.observe(now, health !== undefined, stopped);
      if (reason) hooks.unresponsive(reason);
      hooks.changed();
    };
    const loop = (): void => {
      this.timer = setTimeout(() => {
        void poll().finally(() => {
          if (handle.isAlive()) loop();
        });
      }, this.config.healthIntervalMs);
    };
    void poll();
    loop();
  }

  async afterExit(exit: ProcessExit, handle: ProcessHandle): Promise<ExitVerdict> {
    clearTimeout(this.timer);
    // Hooks still running when it died are its children: they go with its group.
    handle.killGroup();
    Object.assign(this.view, { connected: undefined, pending: undefined });
    const verdict = classifyOrchestratorExit(exit, this.logReader?.all() ?? []);
    this.logReader = undefined;
    this.log.info({ ...exit, kind: verdict.kind, line: verdict.line }, 'orchestrator exited');
    return verdict;
  }

  /** The orchestrator's host is long-lived: it never deletes itself. */
  evictionOptions(): undefined {
    return undefined;
  }

  status(state: PolicyState, alive: boolean): RoleStatus {
    return {
      display: orchestratorDisplay(state, this.view, alive, this.runtime.now()),
      fields: { role: 'orchestrator', orchestrator: { ...this.view } },
    };
  }

  dashboardItems(status: SupervisorStatus): Record<string, string> {
    return orchestratorItems(status);
  }
}
