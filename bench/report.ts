// bench/RESULTS.md from one run of `npm run bench` (bench/run.ts). The sections that other
// commands measure (the real Coder server's) are kept from the previous file.
import os from 'node:os';
import type { BundleReport } from './bundle.js';
import type { DashboardCost } from './dashboard.js';
import type { FaultResult } from './eviction-faults.js';
import type { FleetResult } from './fleet.js';
import type { FootprintSample, FootprintTiming } from './footprint.js';
import type { StartupResult } from './startup.js';
import { fmt } from './stats.js';

export interface BenchFigures {
  startup: StartupResult;
  footprint: { idle: FootprintSample; session: FootprintSample; timing: FootprintTiming };
  dashboard: DashboardCost & { runs: number };
  bundle: BundleReport;
  launcherBytes: number;
  faults: FaultResult[];
  fleet: FleetResult[];
  /** The 1-minute load average before the bench started and after it ended: other work on the machine. */
  load: { start: number; end: number };
}

/** Sections of RESULTS.md written by other commands: carried over as they are. */
export const keptSections = ['Real Coder server', 'On-demand mode on the real Coder server'];

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export function renderResults(f: BenchFigures, previous: string): string {
  const lines: string[] = [];
  const out = (line = ''): void => {
    lines.push(line);
  };
  const { startup, footprint, dashboard, bundle } = f;
  const windowSec = footprint.timing.windowMs / 1000;
  // /proc counts CPU in 10 ms ticks: no tick in the window means less than one tick's worth.
  const cpuPerHour = (seconds: number): string =>
    seconds > 0
      ? `${fmt(seconds, 2)} s`
      : `< ${fmt((10 * 3600) / footprint.timing.windowMs, 2)} s (no 10 ms tick in ${windowSec} s)`;

  out('# Benchmarks');
  out();
  out(
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
  );
  out(
    `The 1-minute load average was ${fmt(f.load.start, 2)} before the bench started and ${fmt(f.load.end, 2)} after it ended, on ${os.cpus().length} cores${f.load.start >= 0.5 ? ': the machine was shared with other work (the start-up rounds alternate ours and the baseline, so their ratio holds)' : ''}.`,
  );
  out(
    'Timings are never asserted in tests; the bundle size budget is checked in CI (tests/module/bundle-size.test.ts).',
  );
  out('CI runs `npm run bench -- --quick` (a few rounds of everything, checked for errors, never for times).');
  out();
  out('## Start-up');
  out();
  out(`${startup.runs} rounds; each round runs ours, then the baseline, so both see the same machine. Ours: the`);
  out("launcher rendered by Terraform, run by `sh -c` with a fresh `CODER_SCRIPT_DATA_DIR` (as at a new workspace's");
  out("first start: it also unpacks the bundle). Baseline: `bench/baseline/run.sh`, the registry module's steps in");
  out('bash. "Runner spawned" is when the stand-in runner recorded its own start.');
  out();
  out('| | launcher returns (median) | runner spawned (median) | runner spawned (p95) |');
  out('| --- | --- | --- | --- |');
  out(
    `| ours | ${fmt(startup.ours.returnMs)} ms | ${fmt(startup.ours.spawnMs)} ms | ${fmt(startup.ours.spawnP95Ms)} ms |`,
  );
  out(
    `| baseline | ${fmt(startup.baseline.returnMs)} ms | ${fmt(startup.baseline.spawnMs)} ms | ${fmt(startup.baseline.spawnP95Ms)} ms |`,
  );
  out(
    `| ours / baseline | ${(startup.ours.returnMs / startup.baseline.returnMs).toFixed(1)}x | ${startup.spawnRatio.toFixed(1)}x (median of the rounds) | |`,
  );
  out();
  out(
    `Goals: \`start\` returns in under 300 ms (${startup.ours.returnMs < 300 ? 'met' : 'missed'}); the runner is spawned in under 500 ms (${startup.ours.spawnMs < 500 ? 'met' : 'missed'}).`,
  );
  out('Ours does more before the spawn: validation of every input, the workspace files, the single-instance lock');
  out('(a second Node start: `start` waits until the detached supervisor holds it), the checks, the self-evict');
  out("token's proof with Coder (four requests) and the runner's `--version` (the stand-in runner is a Node script:");
  out('about a Node start here; the real binary answers in about 20 ms), the last three at once.');
  out('On 2026-11-23, on a faster host (the same baseline took 43 ms), ours spawned the runner in 231 ms: 5.4x.');
  out();
  out('## Footprint');
  out();
  out(
    `The supervisor process, health polling at ${footprint.timing.healthIntervalSec === 10 ? 'the default interval (10 s)' : `${footprint.timing.healthIntervalSec} s`}, sampled over ${windowSec} s after start-up.`,
  );
  out();
  out('| | RSS | CPU per hour |');
  out('| --- | --- | --- |');
  out(`| idle | ${fmt(footprint.idle.rssMiB, 1)} MiB | ${cpuPerHour(footprint.idle.cpuSecondsPerHour)} |`);
  out(
    `| one session running | ${fmt(footprint.session.rssMiB, 1)} MiB | ${cpuPerHour(footprint.session.cpuSecondsPerHour)} |`,
  );
  out();
  out(
    `Goals: under 60 MiB RSS (${footprint.idle.rssMiB < 60 ? 'met' : 'missed'}) and under 2 CPU-seconds per hour idle (${footprint.idle.cpuSecondsPerHour < 2 ? 'met' : 'missed'}).`,
  );
  out('Of that RSS about 34 MiB are pages of the node binary itself (a bare `node` holds 31 MiB). What costs');
  out('more was measured on 2026-12-01 side by side, idle supervisor, with and without each part:');
  out("Node's fetch for the boot's token check kept undici resident, 13 MiB (the Coder API now uses node:http);");
  out("the stall watchdog's worker thread, a second V8 isolate, about 6 MiB whatever it runs (its small heaps");
  out("save 0.8 MiB of it); V8's compilers, about 4.5 MiB (their code paged in from the binary, and code space):");
  out('the detached supervisor runs with `--jitless` (supervisor/src/shared/supervisor-node-flags.ts), the');
  out('interpreter only: its idle CPU per hour measured the same within a 10 ms tick (3.8 s without, 4.1 s with,');
  out('150 s windows side by side), and `start` to the runner spawned about 40 ms slower (524 against 484 ms, the');
  out("median of 31 alternating rounds of each, on a quiet machine): the boot's code runs interpreted.");
  out('Without the worker and with `--jitless` it would be about 50 MiB. Of the idle CPU, the worker, which looks');
  out('every second, takes about 1 s an hour (2.9 s without it, 3.8 s with it, side by side); the rest is the');
  out("health polls and the main thread's beat every second (1.2 s on 2026-11-23, before the watchdog).");
  out("The baseline's bash supervisor uses about 3 MB and no CPU, because it watches nothing: no health,");
  out('no lock, no restarts.');
  out();
  out('## Dashboard cost');
  out();
  out(
    `CPU time of the four registry metadata items at their intervals (10, 5, 30, 15 s), from ${dashboard.runs} runs of each`,
  );
  out("script by `sh`; ours read a file, the baseline's call curl and jq against the runner's /healthz and /metrics.");
  out();
  out('| item | ours per run | baseline per run |');
  out('| --- | --- | --- |');
  for (const item of dashboard.perItem)
    out(`| ${item.key} | ${fmt(item.oursMs, 2)} ms | ${fmt(item.baselineMs, 2)} ms |`);
  out(
    `| **per hour, all four** | **${fmt(dashboard.oursCpuSecondsPerHour, 1)} s** | **${fmt(dashboard.baselineCpuSecondsPerHour, 1)} s** |`,
  );
  out();
  const ratio =
    dashboard.oursCpuSecondsPerHour > 0 ? dashboard.baselineCpuSecondsPerHour / dashboard.oursCpuSecondsPerHour : 0;
  out(`Ours costs ${ratio > 0 ? `${ratio.toFixed(1)}x` : 'n/a'} less (goal: at least 10x).`);
  out();
  out('## Bundle');
  out();
  out(
    `\`module/supervisor.cjs\`: ${kib(bundle.rawBytes)} raw, ${kib(bundle.gzipBytes)} gzip, ${kib(bundle.brotliBytes)} brotli (budget: 400 KiB raw, checked by a test).`,
  );
  out(
    `\`module/orchestrator.cjs\` (the orchestrator module's: its role and the spawn-runner hook): ${kib(bundle.orchestrator.rawBytes)} raw, ${kib(bundle.orchestrator.brotliBytes)} brotli.`,
  );
  out(
    `The rendered launchers (bundle embedded brotli+base64), of the 128 KiB that one \`sh -c\` argument may hold (a test keeps each under 120 KiB): the runner module's ${kib(f.launcherBytes)} (rendered by Terraform), the orchestrator module's about ${kib(bundle.orchestrator.launcherBytes)}; with \`supervisor_path\` set each is under 4 KiB.`,
  );
  out();
  out('| package | bytes in the runner bundle |');
  out('| --- | --- |');
  for (const [name, bytes] of bundle.byPackage.slice(0, 12)) out(`| ${name} | ${kib(bytes)} |`);
  out();
  out('Cut: the `undici` package (about 525 KiB minified: its whole client, fetch, cache and mock layers), and');
  out("Node's fetch too (see Footprint): node:http for the Coder API and the health polls; the full `zod` API");
  out("(444 KiB, locales included) in favour of `zod/mini`; pino's transports and path redaction, and execa's");
  out('verbose formatting (scripts/build-bundle.mjs stubs them).');
  out();
  out('## Eviction under faults');
  out();
  out('The real `evictWorkspace` over real HTTP against the Coder API double, each request failing with the');
  out('given probability as a 503, a 429 with `Retry-After: 1`, or no answer at all (cut by the request');
  out('timeout). Timing scaled down for the bench: retry base 100 ms, request timeout 1 s (defaults: 1 s, 15 s).');
  out();
  out('| faults | runs | p50 | p99 | requests (mean / max) | exactly one delete build every time |');
  out('| --- | --- | --- | --- | --- | --- |');
  for (const r of f.faults) {
    out(
      `| ${r.faultRate * 100}% | ${r.runs} | ${fmt(r.p50Ms)} ms | ${fmt(r.p99Ms)} ms | ${fmt(r.meanRequests, 1)} / ${r.maxRequests} | ${r.exactlyOneEveryTime ? 'yes' : 'NO'} |`,
    );
  }
  out();
  out('## A 1,000-runner fleet');
  out();
  out("1,000 supervisors' real retry code evicting at the same instant, in one process on a simulated clock,");
  out("against an API double that enforces Coder's default of 512 requests per minute per token owner");
  out('(all runners of a pool share one owner; a sliding window of accepted requests; a 429 carries the');
  out('seconds until the window frees as Retry-After; 20 ms per request).');
  out();
  out(
    '| strategy | all evicted after | requests | 429s | busiest second | busiest second of retries | delete builds |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of f.fleet) {
    out(
      `| ${r.label} | ${fmt(r.allEvictedAfterS, 1)} s | ${r.requests} | ${r.rejected429} | ${r.peakPerSecond} | ${r.peakRetryPerSecond} | ${r.deleteBuilds} |`,
    );
  }
  out();
  out('The first second is the same for everyone (1,000 workspaces evicting at once); what differs is the');
  out('retry traffic. Honouring Retry-After keeps the fleet to about 1.5 requests per workspace; full jitter');
  out('spreads the returning wave instead of landing it in one instant; a script that retries every second');
  out('sends about 20 times the requests, nearly all of them refused.');
  out();
  for (const title of keptSections) {
    const section = sectionOf(previous, title);
    if (section) {
      out(section.trimEnd());
      out();
    }
  }
  return lines.join('\n');
}

/** The section `## <title>` of a Markdown text, up to the next `## ` heading or the end. */
export function sectionOf(text: string, title: string): string | undefined {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^## ${escaped}\\n[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm').exec(text)?.[0];
}

/** `text` with the section `## <title>` replaced by `section` (or added at the end). */
export function withSection(text: string, title: string, section: string): string {
  const old = sectionOf(text, title);
  const body = `${section.trimEnd()}\n\n`;
  return old ? text.replace(old, body) : `${text.trimEnd()}\n\n${body}`;
}
