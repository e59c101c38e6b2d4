// `npm run generate` writes every generated file; `npm run check:generated` (CI) fails when one
// is stale. Generated: the supervisor bundles (module/supervisor.cjs, module/orchestrator.cjs),
// variables.tf, script-inputs.tf (flag maps, shell words), main.tf's preconditions, the same
// three for the orchestrator module, README's two inputs tables, the CDKTF bindings of
// the coder provider. Each comes from its source (supervisor/src, the inputs table, the pinned
// provider's schema) and is committed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMainTf, renderScriptInputsTf, scriptInputsFile } from './main-tf.js';
import { renderReadme } from './readme-inputs.js';
import { renderVariablesTf } from './variables-tf.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
/** `--only <name>`: one generated file (bundle, variables, main, readme, bindings). */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/** A text file rendered from its current content (regions) or from nothing (a whole file). */
const textFiles: { name: string; file: string; render: (current: string) => string }[] = [
  { name: 'variables', file: 'variables.tf', render: () => renderVariablesTf('runner') },
  { name: 'main', file: 'main.tf', render: (current) => renderMainTf(current, 'runner') },
  { name: 'script-inputs', file: scriptInputsFile('runner'), render: () => renderScriptInputsTf('runner') },
  {
    name: 'orchestrator-variables',
    file: 'orchestrator/variables.tf',
    render: () => renderVariablesTf('orchestrator'),
  },
  {
    name: 'orchestrator-main',
    file: 'orchestrator/main.tf',
    render: (current) => renderMainTf(current, 'orchestrator'),
  },
  {
    name: 'orchestrator-script-inputs',
    file: scriptInputsFile('orchestrator'),
    render: () => renderScriptInputsTf('orchestrator'),
  },
  { name: 'readme', file: 'README.md', render: renderReadme },
];

/** Generators that are programs of their own, each with its own `--check`. */
const programs: { name: string; script: string }[] = [
  { name: 'bundle', script: 'scripts/build-bundle.mjs' },
  { name: 'bindings', script: 'scripts/generate-coder-bindings.mjs' },
];

let stale = 0;
for (const { name, file, render } of textFiles) {
  if (only && only !== name) continue;
  const full = path.join(root, file);
  const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : '';
  const next = render(current);
  if (check) {
    if (next !== current) {
      console.error(`${file} is stale: run \`npm run generate\` and commit the result.`);
      stale += 1;
    } else console.log(`${file} is up to date`);
  } else if (next !== current) {
    fs.writeFileSync(full, next);
    console.log(`wrote ${file}`);
  } else console.log(`${file} unchanged`);
}
for (const { name, script } of programs) {
  if (only && only !== name) continue;
  try {
    execFileSync(process.execPath, [path.join(root, script), ...(check ? ['--check'] : [])], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    stale += 1;
  }
}
if (stale > 0) process.exit(1);
