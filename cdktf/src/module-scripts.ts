import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Construct } from 'constructs';
import { AssetType, Fn, TerraformAsset, TerraformLocal, Token } from './cdk-lib';
import type { AgentMetadata } from './gen/coder/agent';
import { inputs, propName, roleBundles, type InputSpec, type ModuleName } from '../../supervisor/src/config/inputs.js';
import { launcherFlagInputs, launcherWordInputs } from '../../supervisor/src/config/module-rules.js';
import { planTimeChecks } from './plan-time-checks';

/**
 * What both constructs render as their HCL modules do (main.tf and orchestrator/main.tf): the
 * shell words of the inputs, the launcher and stop scripts from module/'s templates, and the
 * dashboard items. The HCL is the source of truth; the parity tests plan both and compare.
 */

/** The module's files (launcher and stop templates, the supervisor bundle), shipped as an asset. */
const moduleFiles = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'module');

/** One agent metadata item, in the shape of the generated coder_agent `metadata` block. */
export type AgentMetadataItem = Required<
  Pick<AgentMetadata, 'displayName' | 'key' | 'interval' | 'timeout' | 'script'>
> &
  Pick<AgentMetadata, 'order'>;

/** A single-quoted shell word, for literal values and for tokens alike. */
export function shellWord(value: string): string {
  if (Token.isUnresolved(value)) return `'${Fn.replace(value, "'", "'\\''")}'`;
  // Terraform reads `${` in a string as an interpolation: a literal one must be escaped.
  return `'${value.replaceAll("'", "'\\''").replaceAll('${', () => '$${')}'`;
}

/**
 * A variable's value as the rendered scripts spell it (`local.shell_words` of the module): the
 * quoted value, or the input's shell default when it has none, or "" (not passed).
 */
export function shellWordsOf(props: Readonly<Record<string, unknown>>): (variable: string) => string {
  return (variable) => {
    const value = props[propName(variable)];
    if (value !== undefined && value !== null) return shellWord(String(value));
    const spec = (Object.values(inputs) as InputSpec[]).find((s) => s.variable === variable);
    // Terraform reads `${` in a string as an interpolation: the shell's own must be escaped.
    return spec?.kind === 'path' ? (spec.shellDefault ?? '').replaceAll('${', () => '$${') : '';
  };
}

/** The module's templates, rendered by Terraform's templatefile as the HCL module renders them. */
export class ModuleTemplates {
  private readonly files: TerraformAsset;

  constructor(private readonly scope: Construct) {
    this.files = new TerraformAsset(scope, 'module-files', { path: moduleFiles, type: AssetType.DIRECTORY });
  }

  /** The path of one of module/'s files in the synthesized stack. */
  file(name: string): string {
    return `${this.files.path}/${name}`;
  }

  /**
   * Template variables go through a Terraform local: its strings are written as JSON values,
   * which keep quotes and backslashes exact, where a literal inside a function call's
   * expression would not survive cdktf's escaping ('\'' and "$HOME/..." words need both).
   */
  render(name: string, template: string, vars: Record<string, unknown>): string {
    return Fn.templatefile(this.file(template), new TerraformLocal(this.scope, `${name}_vars`, vars).expression);
  }
}

export interface LauncherParts {
  module: ModuleName;
  /** The module's props, every default filled in. */
  props: Readonly<Record<string, unknown>>;
  /** The role's shell variables, which the rendered script shows (role_words). */
  roleWords: Record<string, string>;
  /** The role's own flags (role_flags). */
  roleFlags: string;
  /** Words after the table's optional flags (the runner's extra runner arguments). */
  extraArgs?: readonly string[];
}

/** The launcher (module/launch.sh.tftpl) with the module's words and flags. */
export function renderLauncher(templates: ModuleTemplates, parts: LauncherParts): string {
  const word = shellWordsOf(parts.props);
  const supervisorPath = parts.props.supervisorPath;
  return templates.render('launcher', 'launch.sh.tftpl', {
    node_word: word('node_binary_path'),
    state_dir_word: word('state_dir'),
    role_words: parts.roleWords,
    role_flags: parts.roleFlags,
    // Flags whose values are paths or text, passed only when set, each value one quoted word.
    optional_args: [
      ...launcherWordInputs(parts.module)
        .filter(({ variable }) => word(variable) !== '')
        .map(({ flag, variable }) => `--${flag} ${word(variable)}`),
      ...(parts.extraArgs ?? []),
    ].join(' '),
    supervisor_word: word('supervisor_path'),
    bundle_sha256:
      supervisorPath === undefined ? Fn.trimspace(Fn.file(templates.file(`${roleBundles[parts.module]}.sha256`))) : '',
    bundle_base64: supervisorPath === undefined ? Fn.filebase64(templates.file(`${roleBundles[parts.module]}.br`)) : '',
    // The supervisor's flags of plain values, ordered by flag as Terraform orders a map's keys.
    flags: launcherFlagInputs(parts.module)
      .map(({ flag, variable }) => [flag, parts.props[propName(variable)]] as const)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([flag, value]) => `--${flag} ${numberWord(value)}`)
      .join(' '),
  });
}

/** The stop script (module/stop.sh.tftpl). */
export function renderStop(
  templates: ModuleTemplates,
  props: Readonly<Record<string, unknown>>,
  drain: { timeoutSec: number; waitSec: number },
): string {
  const word = shellWordsOf(props);
  return templates.render('stop', 'stop.sh.tftpl', {
    node_word: word('node_binary_path'),
    state_dir_word: word('state_dir'),
    log_dir_word: word('log_dir'),
    supervisor_word: word('supervisor_path'),
    drain_timeout: drain.timeoutSec,
    drain_wait: drain.waitSec,
  });
}

/** A number as the rendered scripts spell it; a token's own text, which Terraform resolves. */
export const numberWord = (value: unknown): string =>
  Token.isUnresolved(value) ? Token.asString(value) : String(value);

/**
 * The module's checks of the props that only a plan knows, as preconditions of the launcher
 * script (where main.tf has its own): each token's value is held in a local of this construct.
 */
export function planTimePreconditions(
  scope: Construct,
  props: Readonly<Record<string, unknown>>,
  module: ModuleName,
): { condition: string; errorMessage: string }[] {
  const locals = new Map<string, string>();
  const expressionOf = (variable: string): string => {
    let expression = locals.get(variable);
    if (!expression) {
      const local = new TerraformLocal(scope, `${variable}_value`, props[propName(variable)]);
      expression = `local.${local.friendlyUniqueId}`;
      locals.set(variable, expression);
    }
    return expression;
  };
  // A string that is all one interpolation is an expression of its own type (here a bool).
  return planTimeChecks(props, module, expressionOf).map(({ condition, errorMessage }) => ({
    condition: `\${${condition}}`,
    errorMessage,
  }));
}

/** One item of module/metadata-items.json or module/orchestrator-metadata-items.json. */
export interface MetadataItemSpec {
  key: string;
  display_name: string;
  interval: number;
  timeout: number;
  output?: string;
}

/**
 * The dashboard items, as the module's outputs give them: each script only reads a file that
 * the supervisor keeps in <state_dir>/items (`?` when none exists yet); the supervisor's state
 * item also says when the supervisor is not running. One per spec, in the same order.
 */
export function metadataItems(
  templates: ModuleTemplates,
  props: Readonly<Record<string, unknown>>,
  items: readonly MetadataItemSpec[],
): AgentMetadataItem[] {
  const stateDirWord = shellWordsOf(props)('state_dir');
  const order = props.order as number | undefined;
  const readItem = (key: string): string =>
    `{ IFS= read -r v || [ -n "$v" ]; } 2>/dev/null <${stateDirWord}/items/${key} && printf '%s' "$v" || printf '?'`;
  const supervisorState = templates.render('supervisor_state', 'supervisor-state.sh.tftpl', {
    state_dir_word: stateDirWord,
  });
  return items.map((item, index) => ({
    displayName: item.display_name,
    key: item.key,
    interval: item.interval,
    timeout: item.timeout,
    order: order === undefined || order === null ? undefined : order + index,
    script: item.key === '4_supervisor_state' ? supervisorState : readItem(item.key),
  }));
}
