import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { renderMainTf, renderScriptInputsTf } from '../../scripts/generate/main-tf.js';
import { renderReadme } from '../../scripts/generate/readme-inputs.js';
import { renderVariablesTf } from '../../scripts/generate/variables-tf.js';
import { inputs, type InputSpec } from '../../supervisor/src/config/inputs.js';
import { launcherFlagInputs, launcherWordInputs } from '../../supervisor/src/config/module-rules.js';
import { repoRoot } from '../helpers/sandbox.js';

/** The inputs table is the one place an input is defined: the HCL module must agree with it. */
const read = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8');

/** The inputs that the module hands its scripts module (script-inputs.tf's locals, by their short names). */
async function scriptsArguments(): Promise<Record<string, unknown>> {
  const json = (await parse('script-inputs.tf', read('script-inputs.tf'))) as { locals: Record<string, unknown>[] };
  const locals = Object.assign({}, ...json.locals) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(locals).map(([name, value]) => [name.replace(/^script_/, ''), value]));
}

describe('the inputs table and the module', () => {
  it('variables.tf is what the table renders (defaults, types, sensitivity, ranges, messages)', () => {
    expect(read('variables.tf')).toBe(renderVariablesTf());
  });

  it("main.tf's generated regions, script-inputs.tf and README's inputs table are what the table renders", () => {
    expect(renderMainTf(read('main.tf'))).toBe(read('main.tf'));
    expect(renderScriptInputsTf('runner')).toBe(read('script-inputs.tf'));
    expect(renderReadme(read('README.md'))).toBe(read('README.md'));
  });

  it("main.tf passes every plain flag of the table, from the table's variable", async () => {
    const flags = (await scriptsArguments()).supervisor_flags as Record<string, string>;
    expect(Object.entries(flags)).toEqual(
      launcherFlagInputs().map(({ flag, variable }) => [flag, `\${var.${variable}}`]),
    );
  });

  it("main.tf passes every optional quoted flag of the table, from the table's variable", async () => {
    const flags = (await scriptsArguments()).optional_flags as Record<string, string>;
    const pairs = Object.entries(flags).map(([flag, variable]) => ({ flag, variable }));
    expect(pairs).toEqual(launcherWordInputs());
  });

  it("main.tf's shell defaults are the table's", async () => {
    const parsed = (await scriptsArguments()).shell_defaults as Record<string, string>;
    // HCL spells a literal `${` as `$${`.
    const defaults = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.replaceAll('$${', '${')]));
    const fromTable = Object.fromEntries(
      (Object.values(inputs) as InputSpec[])
        .filter((s) => s.kind === 'path' && s.shellDefault !== undefined && s.variable !== undefined)
        .map((s) => [s.variable, s.kind === 'path' ? s.shellDefault : undefined]),
    );
    expect(defaults).toEqual(fromTable);
  });

  it('every supervisor input comes from exactly one place: a flag or an environment variable', () => {
    for (const spec of Object.values(inputs) as InputSpec[]) {
      if (spec.scope === 'module') expect(spec.flag ?? spec.env, spec.variable).toBeUndefined();
      else expect(Boolean(spec.flag) !== Boolean(spec.env), spec.flag ?? spec.env).toBe(true);
    }
  });
});
