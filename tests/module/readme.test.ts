import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/sandbox.js';

/** Keeps README.md's input and output tables true to variables.tf and outputs.tf. */
const read = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8');

interface Variable {
  name: string;
  type: string;
  default: string;
  sensitive: string;
}

function variablesOf(hcl: string): Variable[] {
  const blocks = hcl.split(/^variable "/m).slice(1);
  return blocks.map((block) => {
    const name = block.slice(0, block.indexOf('"'));
    const type = /^\s*type\s*=\s*(.+)$/m.exec(block)?.[1]?.trim() ?? '?';
    const def = /^\s*default\s*=\s*(.+)$/m.exec(block)?.[1]?.trim();
    const sensitive = /^\s*sensitive\s*=\s*true/m.test(block) ? 'yes' : 'no';
    return { name, type, default: def === undefined ? 'required' : def, sensitive };
  });
}

function tableAfter(markdown: string, heading: string): string[][] {
  const section = markdown.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')),
    );
}

describe('README', () => {
  it('lists every input with its type, default and sensitivity, in variables.tf order', () => {
    const rows = tableAfter(read('README.md'), 'Inputs').map(([name, type, def, sensitive]) => ({
      name,
      type,
      default: def,
      sensitive,
    }));
    expect(rows).toEqual(variablesOf(read('variables.tf')));
  });

  it('lists every output', () => {
    const outputs = [...read('outputs.tf').matchAll(/^output "([^"]+)"/gm)].map((m) => m[1]);
    expect(tableAfter(read('README.md'), 'Outputs').map((row) => row[0])).toEqual(outputs);
  });

  it('gives the two commands', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(scripts)).toEqual(
      expect.arrayContaining(['demo', 'test', 'setup', 'build', 'lint', 'typecheck']),
    );
  });
});
