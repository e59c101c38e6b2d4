// The section of bench/RESULTS.md that `npm run bench:on-demand` writes.
import { fmt, percentile } from '../stats.js';
import type { MeasuredTimes, StrategyResult } from './day-model.js';
import { orderMetric, type BurstResult, type SequentialRun } from './measure.js';

export const sectionTitle = 'On-demand mode on the real Coder server';

export interface OnDemandFigures {
  machine: string;
  date: string;
  sequential: SequentialRun[];
  open: BurstResult;
  limited: BurstResult | undefined;
  lowRateLimit: number;
  /** The 1-minute load average before and after the run: other work on the machine. */
  load: { start: number; end: number };
  model: {
    times: MeasuredTimes;
    sessions: number;
    peak: number;
    strategies: StrategyResult[];
    dayHours: number;
  };
}

function row(what: string, values: (number | undefined)[], unit = 'ms'): string {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  const f = (x: number) => `${fmt(x)} ${unit}`;
  return `| ${what} | ${v.length} | ${f(percentile(v, 50))} | ${f(percentile(v, 95))} | ${f(Math.min(...v))} | ${f(Math.max(...v))} |`;
}

const counts = (m: Record<string, number>): string =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} × ${k}`)
    .join(', ');

function burstRow(limit: string, b: BurstResult): string {
  const exits = `${b.exits['0'] ?? 0} / ${b.exits['1'] ?? 0} / ${Object.entries(b.exits)
    .filter(([k]) => Number(k) >= 2)
    .reduce((s, [, v]) => s + v, 0)}`;
  const ms = b.runs.map((r) => r.ms);
  return `| ${limit} | ${b.requests} at ${b.concurrency} | ${counts(b.answers)} | ${exits} | ${fmt(b.totalMs / 1000, 1)} s | ${fmt(percentile(ms, 50))} / ${fmt(percentile(ms, 95))} ms | ${fmt(b.allBuiltMs / 1000, 1)} s${b.failedBuilds ? ` (${b.failedBuilds} failed)` : ''} |`;
}

export function renderOnDemand(f: OnDemandFigures): string {
  const lines: string[] = [];
  const out = (line = ''): void => {
    lines.push(line);
  };
  const s = f.sequential;
  const evicted = s.filter((r) => r.evictMs !== undefined).length;
  out(`## ${sectionTitle}`);
  out();
  out(`Measured by \`npm run bench:on-demand\` on ${f.date} (${f.machine}): the real Coder server of tests/coder`);
  out('(the open-source v2.36.0, PostgreSQL 15, the built-in Terraform provisioner with 4 daemons, all inside a');
  out('loopback-only network namespace), the runner-owner account a plain member whose own token creates its');
  out(
    "workspaces. The hook is the bundle's `spawn-runner` run as the orchestrator runs it (tests/helpers/spawn-hook.ts:",
  );
  out("its 0400 config, the work order in a 0600 file, the order id and session in its environment). The bench's own");
  out("reads go through the owner account with Coder's owner bypass of the rate limit, so only the hook's requests");
  out("count against the runner owner's budget. Times are from the request (one clock: everything is on one host):");
  out("Coder's own `completed_at` of the build and `ready_at` of the agent, and the Anthropic double's log of the");
  out("runner's register request.");
  out(
    `The 1-minute load average was ${fmt(f.load.start, 2)} before the run and ${fmt(f.load.end, 2)} after it${f.load.start >= 0.5 ? ': the machine was shared with other work, which these times include' : ''}.`,
  );
  out();
  out('### Spawn requests one after another');
  out();
  out(
    "Each request the whole way, on the real server's `ondemand` template (tests/coder/template: the packaged module",
  );
  out('in on-demand mode, the work order an `ephemeral = true, mutable = true` string parameter, the self-evict token');
  out('minted at build time, the agent run as a non-root user, the pinned real runner 2.1.330): the Anthropic double');
  out("mints a session's work order, the hook creates the workspace with it, the agent gets ready, the runner");
  out('registers with the order and takes the session; the same request again; the session closes, the runner');
  out('drains and the workspace deletes itself. After one warm-up request, not counted (the first agent of a fresh');
  out('server fetches the agent binary through a cold cache).');
  out();
  out('| | n | median | p95 | min | max |');
  out('| --- | --- | --- | --- | --- | --- |');
  out(
    row(
      'request to hook exit (Coder accepted the create: 201, exit 0)',
      s.map((r) => r.hook.ms),
    ),
  );
  out(
    row(
      'request to the start build succeeded',
      s.map((r) => r.buildMs),
    ),
  );
  out(
    row(
      'request to workspace agent ready',
      s.map((r) => r.readyMs),
    ),
  );
  out(
    row(
      'request to runner registered (its register request with the order reached the double)',
      s.map((r) => r.registeredMs),
    ),
  );
  out(
    row(
      `the runner's own \`${orderMetric}\``,
      s.map((r) => r.orderToRegisteredS),
      's',
    ),
  );
  out(
    row(
      'the same request again to hook exit (409 `already exists`, found: exit 0)',
      s.map((r) => r.repeat.ms),
    ),
  );
  out(
    row(
      'session closed to workspace gone (410): drain, self-eviction, delete build',
      s.map((r) => r.evictMs),
    ),
  );
  out();
  out(
    `Every runner registered with its order and took its session; ${evicted} of ${s.length} workspaces deleted themselves after it. The work order was in its build's parameters, readable by the runner owner, in ${s.filter((r) => r.orderStored).length} of ${s.length}; every repeat exited ${[...new Set(s.map((r) => r.repeat.exitCode))].join(', ')} and created nothing.`,
  );
  out(
    `The runner 2.1.330 does report its own figure: \`${orderMetric}\` on its /metrics (only with a work order), the`,
  );
  out("Date header of the register answer less the order's `iat`, both in whole seconds, so it is good to a second;");
  out('the order is minted a moment before the request, so the two rows measure the same span. The hook itself is a');
  out("Node start of the bundle plus three requests (the template by name, its active version's presets and");
  out('parameters side by side, the create); Coder answers the create once the build is queued.');
  out();
  out(`### A burst of ${f.open.requests} requests at hook concurrency ${f.open.concurrency}`);
  out();
  out('As the orchestrator runs them (at most its --hook-concurrency at once, default 4), all for one owner account,');
  out(`whose requests share the rate limit. Once with Coder's default limit (512 requests a minute), once with`);
  out(
    `\`CODER_API_RATE_LIMIT=${f.lowRateLimit}\` on a second server to see what the hook does when the limit bites. The`,
  );
  out('workspaces are of a light template (bench/on-demand/template: the same parameter and preset, no machine: 50');
  out('agents do not fit on this host), deleted afterwards through the owner account.');
  out();
  out(
    '| limit | requests | what Coder answered | hook exits 0 / 1 / >= 2 | burst took | hook exit median / p95 | all builds done after |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- |');
  out(burstRow('512 a minute (default)', f.open));
  if (f.limited) out(burstRow(`${f.lowRateLimit} a minute`, f.limited));
  out();
  if (f.limited) {
    const created = f.limited.exits['0'] ?? 0;
    const refused = f.limited.runs.find((r) => /Coder answered 429/.test(r.line));
    const said = refused ? /\): (.*)$/.exec(refused.line)?.[1] : undefined;
    out(
      `At ${f.lowRateLimit} a minute, ${created} spawns were created and the rest refused${said ? ` (the hook's line: ${said})` : ''}.`,
    );
  }
  out('Coder counts per user and endpoint: each spawn asks three endpoints once each, so a limit of N a minute');
  out('allows N spawns a minute per runner-owner account (512 by default). A 429 exits 1 (retryable, no user');
  out('message): Anthropic asks again later; the hook never retries on its own.');
  out();
  out('### Workspace-hours: a fixed pool against on-demand, one synthetic day');
  out();
  const t = f.model.times;
  out(
    `A model fed with the medians above: hook ${fmt(t.hookMs)} ms, request to agent ready ${fmt(t.readyMs)} ms, runner registered ${fmt(t.registerMs)} ms after that (measured: the register request less agent ready, per request), self-eviction ${fmt(t.evictMs)} ms.`,
  );
  out(
    `The day (bench/on-demand/day-model.ts, seeded): ${f.model.sessions} sessions, 150 over 08:00 to 18:00, 30 that start between 09:00 and 09:05, 15 in`,
  );
  out(`the evening; lengths log-normal around 20 minutes; at most ${f.model.peak} at once. Assumptions: a pool`);
  out('workspace is ready for the next session as soon as its runner registered; after its session it evicts');
  out("itself, and Coder's reconciler starts its replacement 0 to 15 s later (its default interval), ready one fresh");
  out(
    'build later; an on-demand workspace lives from its request to its eviction; a claimed prebuild (Premium only, not',
  );
  out('measured: the open-source server cannot claim) is taken to cost one start build; a workspace-hour is one');
  out(`workspace existing for an hour, idle or busy, counted over the ${f.model.dayHours} hours of the day.`);
  out();
  out('| strategy | workspace-hours | of them idle | wait median / p95 / max | users who waited over a minute |');
  out('| --- | --- | --- | --- | --- |');
  for (const r of f.model.strategies) {
    out(
      `| ${r.label} | ${fmt(r.workspaceHours, 1)} | ${fmt(r.idleHours, 1)} | ${fmt(r.waitMedianS, 1)} / ${fmt(r.waitP95S, 1)} / ${fmt(r.waitMaxS, 1)} s | ${r.waitedOverMinute} |`,
    );
  }
  out();
  return lines.join('\n');
}
