// `npm run bench:faults`: the same faults against this module's supervisor and the registry
// module's run.sh (bench/baseline/run.sh), with the stand-in runner and the Coder API double;
// prints the side-by-side table that docs/reliability.md records.
import { execa } from 'execa';
import {
  makeSandbox,
  readStatusFile,
  runBundle,
  standInEvents,
  type Sandbox,
  type SandboxOptions,
} from '../tests/helpers/sandbox.js';
import { baselineScript, sleep } from './processes.js';

interface Outcome {
  deletes: number;
  runnerStarts: number;
  state: string;
}

const starts = (sb: Sandbox): number => standInEvents(sb).filter((e) => e.event === 'start').length;

async function baseline(sb: Sandbox, times: number, gapMs: number): Promise<Outcome> {
  for (let i = 0; i < times; i += 1) {
    await execa('bash', [baselineScript], {
      env: {
        ...sb.env,
        RUNNER_BINARY_PATH: sb.runnerBinary,
        CLAUDE_BINARY_PATH: sb.claudeBinary,
        HEALTH_PORT: String(sb.healthPort),
        CODER_AGENT_URL: sb.api.url.replace(/\/$/, ''),
      },
      extendEnv: false,
    });
    await sleep(gapMs);
  }
  return { deletes: sb.api.deleteBuilds, runnerStarts: starts(sb), state: 'n/a' };
}

async function ours(sb: Sandbox, times: number, gapMs: number): Promise<Outcome> {
  for (let i = 0; i < times; i += 1) {
    await runBundle(sb, ['start', ...sb.flags]);
    await sleep(gapMs);
  }
  return { deletes: sb.api.deleteBuilds, runnerStarts: starts(sb), state: readStatusFile(sb)?.state ?? '?' };
}

const faults: { name: string; options: SandboxOptions; starts: number; gapMs: number }[] = [
  {
    name: 'Anthropic unreachable for a while, then back',
    options: { scenarios: 'unreachable,unreachable,unreachable,idle' },
    starts: 1,
    gapMs: 15_000,
  },
  { name: 'A refused environment secret (every start)', options: { scenarios: 'bad-secret' }, starts: 3, gapMs: 4000 },
  {
    name: 'A session, then the workspace starts again before Coder deleted it',
    options: { scenarios: 'session-then-drain,idle', extraEnv: { STANDIN_SESSION_AFTER_MS: '500' } },
    starts: 2,
    gapMs: 5000,
  },
  {
    name: 'A runner that exits 0 at once (clean), twice',
    options: { scenarios: 'exit-clean' },
    starts: 2,
    gapMs: 3000,
  },
];

console.log('| Fault | This module: deletes, runner starts, state | run.sh: deletes, runner starts |');
console.log('| --- | --- | --- |');
for (const fault of faults) {
  const a = await makeSandbox(fault.options);
  const b = await makeSandbox(fault.options);
  try {
    const [mine, theirs] = await Promise.all([
      ours(a, fault.starts, fault.gapMs),
      baseline(b, fault.starts, fault.gapMs),
    ]);
    console.log(
      `| ${fault.name} | ${mine.deletes}, ${mine.runnerStarts}, ${mine.state} | ${theirs.deletes}, ${theirs.runnerStarts} |`,
    );
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
}
