import { inputLabel, inputs, type InputSpec } from './inputs.js';
import { kindOf } from './kinds/index.js';

function line(spec: InputSpec): string {
  const name = spec.flag ? `${inputLabel(spec)} ${spec.kind === 'number' ? 'N' : 'VALUE'}` : inputLabel(spec);
  return `  ${name.padEnd(36)} ${kindOf(spec).helpNote(spec)}`;
}

/** `--help`, generated from the inputs table so it can never miss a flag. */
export function renderHelp(): string {
  const specs: InputSpec[] = Object.values(inputs);
  const section = (title: string, rows: InputSpec[]): string => [title, ...rows.map(line)].join('\n');
  return [
    'claude-self-hosted-runner supervisor',
    '',
    'Usage: node supervisor.cjs <command> [flags]',
    '',
    'Commands:',
    '  start    validate, prepare the workspace, detach the supervisor and return',
    '  run      the same in the foreground',
    '  stop     drain the runner gracefully (never self-evicts)',
    "  status   print the supervisor's state as JSON",
    '',
    section(
      "Environment (set by the module's coder_env and the Coder agent):",
      specs.filter((s) => s.env && !s.flag && s.scope !== 'module'),
    ),
    '',
    section(
      'Flags of every command:',
      specs.filter((s) => s.flag && s.scope === 'state'),
    ),
    '',
    section(
      'Flags of start and run:',
      specs.filter((s) => s.flag && s.scope === 'run'),
    ),
    '',
    'Exit codes: 0 ok, 64 usage, 70 runtime failure, 73 cannot prepare files, 78 bad configuration.',
    '',
  ].join('\n');
}
