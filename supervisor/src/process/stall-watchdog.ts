import { Worker } from 'node:worker_threads';

/**
 * A watchdog for the supervisor's own event loop, in a worker thread of the same process. Every
 * decision of the supervisor runs on its event loop, so anything that blocks it (a read that
 * waits forever, a call that never returns) would leave a locked workspace alive for good, its
 * runner and sessions unwatched. The main thread beats a counter in shared memory; the worker,
 * whose own loop the main one cannot block, sees the counter stop. Then it does, synchronously,
 * what the supervisor cannot: it kills the runner (its group, and every process of the runner
 * user), writes why to the log and the dashboard, and starts a fresh supervisor that it hands
 * the secrets to (as `start` does) before it SIGKILLs the stalled one. The fresh one finds the
 * workspace as any start does: a locked one self-evicts, an unlocked one starts a runner.
 * During a stop (the drain marker is there) it only kills.
 */
export interface StallWatchdogOptions {
  /** How long the loop may not run before the watchdog acts. */
  stallMs: number;
  /** How often the main thread beats and the worker looks. */
  beatMs?: number;
  logFile: string;
  /** The dashboard's state item. */
  stateItem: string;
  /** status.json: the runner's pid is read from it when the watchdog acts. */
  statusFile: string;
  lockFile: string;
  /** Written by `stop` before it signals: a stop is under way, so no fresh supervisor. */
  drainMarker: string;
  /** Commands (argv) that kill every process of the runner user, run in order. */
  killCommands: string[][];
  /** A command (argv) that kills a pid as root (the pid is appended), for a runner under sudo. */
  rootKill: string[] | undefined;
  /** How to start the fresh supervisor; undefined (a foreground `run`): its own manager restarts it. */
  relaunch:
    | { execPath: string; args: string[]; env: Record<string, string>; cwd: string; secrets: Record<string, string> }
    | undefined;
}

export interface StallWatchdog {
  stop(): void;
}

// Plain JavaScript for an `eval` worker: the bundle is one file, so the worker cannot be a file of its own.
const workerSource = `
const { workerData: wd } = require('node:worker_threads');
const fs = require('node:fs');
const { spawn, execFileSync } = require('node:child_process');
const beat = new Int32Array(wd.shared);
let last = Atomics.load(beat, 0);
let since = Date.now();
const log = (msg, extra) => {
  try {
    const line = { level: 'error', time: new Date().toISOString(), pid: process.pid, watchdog: true, ...extra, msg };
    fs.appendFileSync(wd.logFile, JSON.stringify(line) + '\\n');
  } catch {}
};
const run = (argv) => {
  try { execFileSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 10000 }); } catch {}
};
const die = () => process.kill(process.pid, 'SIGKILL');
function act(stalledMs) {
  const seconds = Math.round(stalledMs / 1000);
  const stopping = fs.existsSync(wd.drainMarker);
  const fresh = wd.relaunch && !stopping;
  log('the event loop of the supervisor stalled; killing the runner and every process of the runner user', { stalledSec: seconds, relaunch: Boolean(fresh) });
  try {
    fs.writeFileSync(wd.stateItem, 'stalled: the supervisor did not run for ' + seconds + ' s; it killed the runner' + (fresh ? ' and a fresh supervisor takes over' : ''));
  } catch {}
  let runnerPid = 0;
  try { const s = JSON.parse(fs.readFileSync(wd.statusFile, 'utf8')); runnerPid = Number(s.programPid ?? s.runnerPid) || 0; } catch {}
  if (runnerPid > 0) { try { process.kill(-runnerPid, 'SIGKILL'); } catch {} }
  for (const argv of wd.killCommands) run(argv);
  if (runnerPid > 0 && wd.rootKill) run([...wd.rootKill, String(runnerPid)]);
  if (!fresh) return die();
  // The stalled supervisor holds the single-instance lock: released for the fresh one.
  try { fs.rmSync(wd.lockFile, { force: true }); } catch {}
  let out = 'ignore';
  try { out = fs.openSync(wd.logFile, 'a'); } catch {}
  const child = spawn(wd.relaunch.execPath, wd.relaunch.args, {
    detached: true, stdio: ['ignore', out, out, 'ipc'], env: wd.relaunch.env, cwd: wd.relaunch.cwd,
  });
  setTimeout(die, 10000);
  child.on('error', die);
  child.on('exit', die);
  child.on('message', (message) => {
    if (!message || message.type !== 'secrets-please') return;
    child.send({ type: 'secrets', values: wd.relaunch.secrets }, () => {
      log('a fresh supervisor takes over', { freshPid: child.pid });
      die();
    });
  });
}
const timer = setInterval(() => {
  const value = Atomics.load(beat, 0);
  const now = Date.now();
  if (value !== last) { last = value; since = now; return; }
  if (now - since < wd.stallMs) return;
  clearInterval(timer);
  act(now - since);
}, wd.beatMs);
`;

export function startStallWatchdog(options: StallWatchdogOptions): StallWatchdog {
  const beatMs = options.beatMs ?? 1000;
  const shared = new SharedArrayBuffer(4);
  const beat = new Int32Array(shared);
  const heart = setInterval(() => Atomics.add(beat, 0, 1), beatMs);
  heart.unref();
  // A second isolate costs about 6 MiB of RSS whatever it runs (bench/RESULTS.md, "Footprint"):
  // small heaps keep it at the least; what the worker does at a stall fits well within them.
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { ...options, beatMs, shared },
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  // Never what keeps the supervisor alive, and never what kills it by an error of its own.
  worker.unref();
  worker.on('error', () => undefined);
  return {
    stop: () => {
      clearInterval(heart);
      void worker.terminate();
    },
  };
}
