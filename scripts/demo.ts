// `npm run demo`: the whole lifecycle on this machine, with the real supervisor bundle, the
// stand-in runner and the Coder API double, printed as a timeline with the dashboard values.
import {
  makeSandbox,
  readItem,
  readStatusFile,
  runBundle,
  waitFor,
  type Sandbox,
  type SandboxOptions,
} from '../tests/helpers/sandbox.js';
import { onDemandScene } from './demo-on-demand.js';

const began = Date.now();
const stamp = (): string => `+${((Date.now() - began) / 1000).toFixed(1).padStart(5)}s`;
const say = (line: string): void => console.log(`${stamp()}  ${line}`);

const items: [string, string][] = [
  ['0_lock_status', 'Lock status'],
  ['1_active_sessions', 'Active sessions'],
  ['2_runner_id', 'Runner ID'],
  ['3_last_poll', 'Last poll'],
  ['4_supervisor_state', 'Supervisor'],
  ['5_restarts', 'Restarts'],
  ['6_last_error', 'Last error'],
];

/** Prints the dashboard whenever a value changes, and every request the Coder API double sees. */
function watch(sb: Sandbox): () => void {
  let last = '';
  let seen = 0;
  const timer = setInterval(() => {
    const values = items.map(([key, name]) => {
      const value = readItem(sb, key) ?? '?';
      return `${name}: ${key === '3_last_poll' ? value.replace(/\(\d+ms ago\)/, '(...)') : value}`;
    });
    const line = values.join(' | ');
    if (line !== last) {
      last = line;
      say(`dashboard  ${values.slice(0, 4).join(' | ')}`);
      say(`           ${values.slice(4).join(' | ')}`);
    }
    for (const request of sb.api.requests.slice(seen)) {
      say(`Coder API  ${request.method} ${request.path} -> ${request.status ?? 'no answer'}`);
    }
    seen = sb.api.requests.length;
  }, 100);
  return () => clearInterval(timer);
}

async function scene(title: string, options: SandboxOptions, body: (sb: Sandbox) => Promise<void>): Promise<void> {
  console.log(`\n== ${title}`);
  const sb = await makeSandbox(options);
  const stop = watch(sb);
  try {
    await body(sb);
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    stop();
    await sb.cleanup();
  }
}

async function start(sb: Sandbox, extra: string[] = []): Promise<void> {
  const result = await runBundle(sb, ['start', ...sb.flags, ...extra]);
  say(`start      exit ${result.exitCode}: ${(result.stdout || result.stderr).trim()}`);
}

const state = (sb: Sandbox): string | undefined => readStatusFile(sb)?.state;

await scene(
  'A runner serves one session, drains, and the workspace self-evicts (the first delete attempt gets a 503)',
  { scenarios: 'session-then-drain', extraEnv: { STANDIN_SESSION_AFTER_MS: '2500', STANDIN_SESSION_SEC: '2' } },
  async (sb) => {
    sb.api.script.push({ status: 503 });
    await start(sb);
    await waitFor('eviction', () => state(sb) === 'evicted', 30_000);
    say(`outcome    delete builds created: ${sb.api.deleteBuilds}`);
    say('restart    the workspace starts again before Coder deleted it:');
    await start(sb);
    await new Promise((resolve) => setTimeout(resolve, 800));
    say(`outcome    no runner started, delete builds still: ${sb.api.deleteBuilds}`);
  },
);

await scene(
  'A bad environment secret: restarts with backoff, a crash loop, quarantine, then self-eviction',
  { scenarios: 'bad-secret' },
  async (sb) => {
    await start(sb, ['--quarantine-min', '0.1']);
    await waitFor('quarantine', () => state(sb) === 'quarantined', 30_000);
    await waitFor('eviction', () => state(sb) === 'evicted', 30_000);
    say(`outcome    delete builds created: ${sb.api.deleteBuilds}`);
  },
);

await scene(
  'Anthropic is unreachable for a while: the runner keeps retrying, never a crash loop, and heals by itself',
  { scenarios: 'unreachable,unreachable,unreachable,unreachable,idle' },
  async (sb) => {
    await start(sb);
    await waitFor(
      'registration after the outage',
      () => readItem(sb, '4_supervisor_state')?.startsWith('waiting for a session'),
      60_000,
    );
    say(
      `outcome    serving again after ${readItem(sb, '5_restarts')} restarts; delete builds created: ${sb.api.deleteBuilds}`,
    );
  },
);

await scene('The workspace stops: the runner drains, and nothing is evicted', { scenarios: 'idle' }, async (sb) => {
  await start(sb);
  await waitFor(
    'runner up',
    () => state(sb) === 'running' && readItem(sb, '2_runner_id')?.startsWith('ccrunner_'),
    30_000,
  );
  const stop = await runBundle(sb, ['stop', '--state-dir', sb.stateDir, '--drain-timeout-sec', '100']);
  say(`stop       exit ${stop.exitCode}: ${stop.stdout.trim().replace(/\n/g, '; ')}`);
  say(`outcome    delete builds created: ${sb.api.deleteBuilds}`);
});
await onDemandScene(say);
console.log('\nDone. Every scene ran the real module/supervisor.cjs as a process.');
