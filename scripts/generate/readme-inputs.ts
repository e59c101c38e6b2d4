// README's inputs table, from the inputs table in variables.tf's order.
import { inputs, type InputSpec, type ModuleName } from '../../supervisor/src/config/inputs.js';
import { markdownComments, replaceRegion } from './regions.js';
import { hclDefault, hclType, moduleVariables } from './variables-tf.js';

function row(spec: InputSpec & { variable: string }): string {
  const def = hclDefault(spec);
  const cells = [
    `\`${spec.variable}\``,
    `\`${hclType(spec)}\``,
    def === undefined ? 'required' : `\`${def}\``,
    spec.sensitive ? 'yes' : 'no',
    spec.summary ?? spec.help,
  ];
  return `| ${cells.join(' | ')} |`;
}

function table(current: string, module: ModuleName, region: string): string {
  const rows = moduleVariables(Object.values(inputs) as InputSpec[], module).map(row);
  return replaceRegion(
    current,
    region,
    ['| Name | Type | Default | Sensitive | Description |', '| --- | --- | --- | --- | --- |', ...rows],
    markdownComments,
    'README.md',
  );
}

/** README's two inputs tables: the runner module's and the orchestrator module's. */
export function renderReadme(current: string): string {
  return table(table(current, 'runner', 'inputs'), 'orchestrator', 'orchestrator-inputs');
}
