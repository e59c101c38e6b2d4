// The parts of main.tf that come from the inputs table: the shell defaults and words, the
// launcher's flag maps, and the preconditions of the rules between inputs.
import { crossRuleTerraform, ruleInModule } from '../../supervisor/src/config/cross-rules.js';
import {
  crossInputRules,
  inputs,
  modulesOf,
  type InputSpec,
  type ModuleName,
} from '../../supervisor/src/config/inputs.js';
import { hclString } from '../../supervisor/src/config/kinds/index.js';
import { launcherFlagInputs, launcherWordInputs } from '../../supervisor/src/config/module-rules.js';
import { alignedAssignments, hclComments, replaceRegion } from './regions.js';

const specsOf = (module: ModuleName): InputSpec[] =>
  (Object.values(inputs) as InputSpec[]).filter((s) => s.variable !== undefined && modulesOf(s).includes(module));

/** Kinds whose values reach the rendered scripts as quoted shell words. */
const wordKinds: readonly InputSpec['kind'][] = ['path', 'command', 'label', 'https-url', 'username', 'slug'];

function map(name: string, pairs: (readonly [string, string])[]): string[] {
  return [`${name} = {`, ...alignedAssignments(pairs).map((line) => `  ${line}`), '}'];
}

export function renderMainTf(current: string, module: ModuleName = 'runner'): string {
  const file = module === 'runner' ? 'main.tf' : 'orchestrator/main.tf';
  const specs = (): InputSpec[] => specsOf(module);
  const region = (text: string, name: string, body: string[]) => replaceRegion(text, name, body, hclComments, file);
  let text = current;
  text = region(
    text,
    'shell_defaults',
    map(
      'shell_defaults',
      specs().flatMap((s) =>
        s.kind === 'path' && s.shellDefault !== undefined && s.variable
          ? [[s.variable, hclString(s.shellDefault)] as const]
          : [],
      ),
    ),
  );
  text = region(
    text,
    'shell_word_inputs',
    alignedAssignments(
      specs().flatMap((s) =>
        wordKinds.includes(s.kind) && s.variable ? [[s.variable, `var.${s.variable}`] as const] : [],
      ),
    ),
  );
  text = region(
    text,
    'optional_flag_inputs',
    alignedAssignments(
      launcherWordInputs(module).map(({ flag, variable }) => [hclString(flag), hclString(variable)] as const),
    ),
  );
  text = region(
    text,
    'supervisor_flags',
    map(
      'supervisor_flags',
      launcherFlagInputs(module).map(({ flag, variable }) => [hclString(flag), `var.${variable}`] as const),
    ),
  );
  text = region(text, 'preconditions', [
    'lifecycle {',
    ...crossInputRules
      .filter((rule) => ruleInModule(rule, module))
      .flatMap((rule) => [
        '  precondition {',
        `    condition     = ${crossRuleTerraform(rule)}`,
        `    error_message = ${hclString(rule.message)}`,
        '  }',
      ]),
    '}',
  ]);
  return text;
}
