// `npm run bench`: measures start-up, footprint, dashboard cost, bundle size, eviction under
// faults and a simulated 1,000-runner fleet, and writes bench/RESULTS.md. Timings are reported
// here, never asserted in tests.
// `npm run bench -- --quick` (CI): a few rounds of everything, to prove that the harness still
// works; it fails on any error of the harness or of the invariants it sees (one delete build per
// workspace, every figure measured), asserts no timing and writes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { applyModule } from '../tests/helpers/render-module.js';
import { makeSandbox, readItem, repoRoot, waitFor } from '../tests/helpers/sandbox.js';
import { bundleReport } from './bundle.js';
import { measureDashboard } from './dashboard.js';
import { measureEvictionUnderFaults } from './eviction-faults.js';
import { simulateFleet, type FleetStrategy } from './fleet.js';
import { measureFootprint, type FootprintTiming } from './footprint.js';
import { baselineScript, stopBaseline, stopOurs } from './processes.js';
import { renderResults, type BenchFigures } from './report.js';
import { problemsOf } from './sanity.js';
import { measureStartup } from './startup.js';

const quick = process.argv.includes('--quick');
const loadAtStart = os.loadavg()[0] ?? 0;
const began = Date.now();
const say = (line: string): void => console.log(`bench: ${((Date.now() - began) / 1000).toFixed(1)} s: ${line}`);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

const bundle = bundleReport();
say(`bundle ${kib(bundle.rawBytes)} raw, ${kib(bundle.brotliBytes)} brotli`);

const ours = await makeSandbox({ scenarios: 'idle' });
const rendered = await applyModule(ours);
const baseline = await makeSandbox({ scenarios: 'idle' });

say('start-up');
const startup = await measureStartup({ sb: ours, rendered }, baseline, quick ? 2 : 21);

say('dashboard cost');
await execa('/bin/sh', ['-c', rendered.launcher], {
  env: {
    ...ours.env,
    ...rendered.env,
    CODER_AGENT_URL: ours.api.url,
    CODER_SCRIPT_DATA_DIR: path.join(ours.dir, 'dash'),
  },
  extendEnv: false,
});
await waitFor('our dashboard', () => readItem(ours, '2_runner_id')?.startsWith('ccrunner_'), 30_000);
const startsBefore = fs
  .readFileSync(baseline.events, 'utf8')
  .split('\n')
  .filter((l) => l.includes('"event":"start"')).length;
await execa('bash', [baselineScript], {
  env: {
    ...baseline.env,
    RUNNER_BINARY_PATH: baseline.runnerBinary,
    CLAUDE_BINARY_PATH: baseline.claudeBinary,
    HEALTH_PORT: String(baseline.healthPort),
  },
  extendEnv: false,
});
await waitFor('baseline health', () => fs.readFileSync(baseline.events, 'utf8').includes('"event":"listening"'));
const dashboardRuns = quick ? 3 : 40;
const dashboard = await measureDashboard(
  { sb: ours, rendered },
  path.join(repoRoot, 'bench', 'baseline'),
  baseline,
  dashboardRuns,
);
await stopOurs(ours);
await stopBaseline(baseline, startsBefore + 1);
await ours.cleanup();
await baseline.cleanup();

say('footprint');
const timing: FootprintTiming = quick
  ? { windowMs: 2000, healthIntervalSec: 1, settleMs: 500 }
  : { windowMs: 90_000, healthIntervalSec: 10, settleMs: 3000 };
const footprint = { ...(await measureFootprint(timing)), timing };

say('eviction under faults');
const faults = [];
for (const rate of [0, 0.2, 0.5]) faults.push(await measureEvictionUnderFaults(rate, quick ? 2 : 30));

say('fleet');
const fleet = [];
for (const strategy of ['full-jitter', 'no-jitter', 'naive-1s'] as FleetStrategy[])
  fleet.push(await simulateFleet(1000, strategy));

const figures: BenchFigures = {
  startup,
  footprint,
  dashboard: { ...dashboard, runs: dashboardRuns },
  bundle,
  launcherBytes: Buffer.byteLength(rendered.launcher),
  faults,
  fleet,
  load: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
};
const problems = problemsOf(figures, { fleetSize: 1000 });
if (problems.length > 0) {
  for (const problem of problems) console.error(`bench: ${problem}`);
  process.exit(1);
}
if (quick) {
  say(
    `quick pass done: runner spawned ${startup.ours.spawnMs} ms (baseline ${startup.baseline.spawnMs} ms), idle RSS ${footprint.idle.rssMiB.toFixed(1)} MiB; RESULTS.md left as it is`,
  );
} else {
  const resultsFile = path.join(repoRoot, 'bench', 'RESULTS.md');
  const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
  fs.writeFileSync(resultsFile, renderResults(figures, previous));
  say('wrote bench/RESULTS.md');
}
