// `npm run bench:on-demand` (scripts/bench-on-demand.sh, inside a loopback-only network
// namespace): the on-demand mode measured on the real Coder server of tests/coder, then written
// into bench/RESULTS.md as its section "On-demand mode on the real Coder server" (the rest of the
// file is `npm run bench`'s). Options: --requests N (one after another, default 20),
// --no-limit-pass (skip the second server with a low rate limit).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAnthropicDouble, type AnthropicDouble } from '../../tests/helpers/anthropic-double.js';
import {
  CoderApi,
  pushTemplateByApi,
  startCoderServer,
  type RunningCoderServer,
} from '../../tests/helpers/coder-server.js';
import { currentLoopbackNamespace } from '../../tests/helpers/network-guard.js';
import { freePort, repoRoot } from '../../tests/helpers/sandbox.js';
import { spawnConfigFor } from '../../tests/helpers/spawn-hook.js';
import { withSection } from '../report.js';
import { median } from '../stats.js';
import { dayMs, fixedPool, onDemand, peakConcurrency, syntheticDay, type MeasuredTimes } from './day-model.js';
import { hookFor } from './hook.js';
import {
  burst,
  deleteLeftovers,
  sequentialRequests,
  type BurstResult,
  type CoderSide,
  type SequentialRun,
} from './measure.js';
import { renderOnDemand, sectionTitle } from './report.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '20' }, 'no-limit-pass': { type: 'boolean', default: false } },
});
const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 1) throw new Error(`--requests ${values.requests}: a whole number >= 1`);
/** The rate limit of the second pass: low enough that a burst of 50 meets it (Coder counts per user and endpoint). */
const lowRateLimit = 20;
const burstSize = 50;
const hookConcurrency = 4;
/** The `ondemand` template's health_port parameter default: one workspace at a time uses it. */
const healthPort = 18080;
const began = Date.now();
const loadAtStart = os.loadavg()[0] ?? 0;
const say = (line: string): void =>
  console.log(`bench:on-demand: ${((Date.now() - began) / 1000).toFixed(0)} s: ${line}`);

const lightTemplate = path.join(repoRoot, 'bench', 'on-demand', 'template');

function sideOf(server: RunningCoderServer): CoderSide {
  const { info } = server;
  return {
    // The owner may bypass the rate limit, so that the bench's own reads never meet it.
    admin: new CoderApi(info.url, info.admin.token, { 'X-Coder-Bypass-Ratelimit': 'true' }),
    member: new CoderApi(info.url, info.member.token),
    memberName: info.member.username,
  };
}

/** The hook with the orchestrator's config for `template`: the runner-owner account (the plain member). */
function hookOn(server: RunningCoderServer, template: string, name: string) {
  const { info } = server;
  return hookFor(
    path.join(info.root, 'hooks', name),
    spawnConfigFor(info.url, info.member.token, {
      organization: info.orgId,
      template,
      namePrefix: 'bench',
      // The orchestrator's default hook timeout (60 s) less its 5 s.
      deadlineMs: 55_000,
    }),
  );
}

/** Runs `work` with a fresh server; every workspace it made is deleted before the server stops. */
async function withServer<T>(
  serverEnv: Record<string, string>,
  work: (server: RunningCoderServer, side: CoderSide, made: Set<string>) => Promise<T>,
): Promise<T> {
  const server = await startCoderServer({ serverEnv });
  say(`Coder server ready in ${server.info.timings.serverReadyMs} ms`);
  const side = sideOf(server);
  const made = new Set<string>();
  try {
    await pushTemplateByApi(side.admin, server.info.orgId, 'od-light', lightTemplate);
    return await work(server, side, made);
  } finally {
    try {
      const left = await deleteLeftovers(side, made);
      say(`${made.size} workspaces made, ${left} of them deleted at the end (the rest were gone already)`);
    } finally {
      // Kills every process of the run's workspaces (agents, supervisors, runners) and removes its root.
      await server.close();
    }
  }
}

let sequential: SequentialRun[] = [];
let open: BurstResult | undefined;
await withServer({}, async (server, side, made) => {
  const { info } = server;
  const doubleDir = path.join(info.root, 'anthropic');
  fs.mkdirSync(path.join(doubleDir, 'home'), { recursive: true });
  const double: AnthropicDouble = await startAnthropicDouble(currentLoopbackNamespace(doubleDir), await freePort());
  try {
    fs.writeFileSync(info.anthropicUrlFile, `${double.url}\n`);
    const ctx = { side, hook: hookOn(server, 'ondemand', 'seq'), double, healthPort, made, say };
    // Not counted: the first agent of a fresh server fetches the agent binary through a cold cache.
    say('one warm-up request');
    await sequentialRequests(ctx, 1);
    say(`${requests} spawn requests one after another`);
    sequential = await sequentialRequests(ctx, requests);
  } finally {
    await double.stop();
  }
  say(`a burst of ${burstSize} at hook concurrency ${hookConcurrency}`);
  open = await burst(side, hookOn(server, 'od-light', 'burst'), burstSize, hookConcurrency, 'burst', made);
  say(`burst: ${JSON.stringify(open.answers)} in ${open.totalMs} ms`);
});
let limited: BurstResult | undefined;
if (!values['no-limit-pass']) {
  say(`a second server with CODER_API_RATE_LIMIT=${lowRateLimit}: the same burst`);
  limited = await withServer({ CODER_API_RATE_LIMIT: String(lowRateLimit) }, async (server, side, made) => {
    const result = await burst(
      side,
      hookOn(server, 'od-light', 'limited'),
      burstSize,
      hookConcurrency,
      'limited',
      made,
    );
    say(`limited burst: ${JSON.stringify(result.answers)} in ${result.totalMs} ms`);
    return result;
  });
}
if (!open) throw new Error('the burst was not measured');

// The model's inputs: medians of what was measured here.
const evicted = sequential.map((r) => r.evictMs).filter((v): v is number => v !== undefined);
const times: MeasuredTimes = {
  hookMs: median(sequential.map((r) => r.hook.ms)),
  readyMs: median(sequential.map((r) => r.readyMs)),
  registerMs: median(sequential.map((r) => r.registeredMs - r.readyMs)),
  evictMs: median(evicted),
};
const day = syntheticDay();
const peak = peakConcurrency(day);
const strategies = [
  fixedPool(day, 10, times),
  fixedPool(day, peak, times),
  onDemand(day, times, { hookConcurrency }),
  onDemand(day, times, { hookConcurrency, buffer: 2, claimMs: median(sequential.map((r) => r.buildMs)) }),
];

const section = renderOnDemand({
  machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  date: new Date().toISOString().slice(0, 10),
  sequential,
  open,
  limited,
  lowRateLimit,
  load: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
  model: { times, sessions: day.length, peak, strategies, dayHours: dayMs / 3_600_000 },
});
const resultsFile = path.join(repoRoot, 'bench', 'RESULTS.md');
const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '# Benchmarks\n';
fs.writeFileSync(resultsFile, withSection(previous, sectionTitle, section));
console.log(section);
say('wrote its section of bench/RESULTS.md');
