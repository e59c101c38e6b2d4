import path from 'node:path';
import { runCommand } from './commands/run.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { ExitCode, SupervisorError, describeError } from './errors.js';

const help = `claude-self-hosted-runner supervisor

Usage: node supervisor.cjs <command> [flags]

Commands:
  start    validate, prepare the workspace, detach the supervisor and return
  run      the same in the foreground
  stop     drain the runner gracefully (never self-evicts)
  status   print the supervisor's state as JSON

Environment (set by the module's coder_env and the Coder agent):
  CLAUDE_POOL_SECRET, CODER_SELF_TOKEN, CODER_WORKSPACE_ID, CODER_AGENT_URL,
  CLAUDE_CAPACITY (1-16, default 4), GIT_BOT_TOKEN (optional)

Flags (start/run; stop and status take the first three):
  --state-dir DIR            default $HOME/.claude/self-hosted-runner
  --log-dir DIR              default <state-dir>/logs
  --drain-timeout-sec N      default 180 (must exceed the runner's drain budget)
  --runner-binary PATH       default /usr/local/bin/claude
  --claude-binary PATH       default /opt/claude/claude
  --base-dir DIR             default $HOME/workspace
  --permission-mode MODE     default bypassPermissions
  --health-port N            default 8080
  --health-interval-sec N    default 10
  --restart-initial-sec N    default 5
  --restart-max-sec N        default 300
  --short-run-sec N          default 60
  --crash-loop-threshold N   default 5
  --quarantine-min N         default 60 (0 = never self-evict a crash loop)
  --max-lifetime-min N       default 0 (off)
  --eviction-deadline-sec N  default 1800
  --eviction-retry-base-ms N default 1000 (full-jitter base; an active build is re-checked every 5x)
  --eviction-request-timeout-sec N  default 15

Exit codes: 0 ok, 64 usage, 70 runtime failure, 73 cannot prepare files, 78 bad configuration.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  switch (command) {
    case 'start':
      return startCommand(rest, process.env, path.resolve(process.argv[1] ?? ''), out);
    case 'run':
      return runCommand(rest, process.env, {
        out,
        onLock: (result) => {
          // The detached child of `start` reports through its IPC channel, then lets it go.
          if (process.send) {
            process.send({ type: 'lock', acquired: result.acquired, holderPid: result.holderPid });
            process.disconnect();
          }
        },
      });
    case 'stop':
      return stopCommand(rest, process.env, out);
    case 'status':
      return statusCommand(rest, process.env, out);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(help);
      return command === undefined ? ExitCode.usage : ExitCode.ok;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}; expected start, run, stop or status\n`);
      return ExitCode.usage;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SupervisorError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`error: ${describeError(error)}\n`);
      process.exitCode = ExitCode.runtime;
    }
  },
);
