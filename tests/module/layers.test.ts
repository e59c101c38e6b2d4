import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';

/** The layers of supervisor/src hold because lint fails on an import that runs back up one. */
async function problems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, 'supervisor', 'src', file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layers of the supervisor', () => {
  it('refuse an import from a layer above', async () => {
    expect(
      await problems(
        'state/x.ts',
        "import { Supervisor } from '../executor/executor.js';\nexport const x = Supervisor;\n",
      ),
    ).toEqual([expect.stringMatching(/^no-restricted-imports: .*may not import from a layer above it/)]);
    expect(
      await problems('roles/runner/x.ts', "import { main } from '../../commands/run.js';\nexport const x = main;\n"),
    ).toHaveLength(1);
  });

  it('keep lifecycle/ pure: no node modules, no clock, no randomness, no process', async () => {
    const said = await problems(
      'lifecycle/x.ts',
      "import fs from 'node:fs';\nexport const x = [fs, Date.now(), Math.random(), process.pid];\n",
    );
    expect(said).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*lifecycle\/ is pure/),
      expect.stringMatching(/^no-restricted-properties: 'Date.now'/),
      expect.stringMatching(/^no-restricted-properties: 'Math.random'/),
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'process'/),
    ]);
  });

  it('allow what lies below', async () => {
    expect(
      await problems(
        'executor/x.ts',
        "import { transition } from '../lifecycle/policy.js';\nexport const x = transition;\n",
      ),
    ).toEqual([]);
  });

  it('keep each role to its folder: no role imports a sibling, the executor and the commands name none', async () => {
    const sibling = await problems(
      'roles/orchestrator/x.ts',
      "import { runnerItems } from '../runner/runner-items.js';\nexport const x = runnerItems;\n",
    );
    expect(sibling).toEqual([expect.stringMatching(/^no-restricted-imports: .*may not import a role's folder/)]);
    for (const [file, from] of [
      ['executor/x.ts', '../roles/runner/runner-role.js'],
      ['commands/x.ts', '../roles/orchestrator/orchestrator-role.js'],
      ['roles/x.ts', './runner/runner-role.js'],
    ] as const) {
      expect(await problems(file, `import * as m from '${from}';\nexport const x = m;\n`), file).toEqual([
        expect.stringMatching(/^no-restricted-imports: .*may not import a role's folder/),
      ]);
    }
    // What both claude roles share sits beside role.ts, for every role.
    expect(
      await problems(
        'roles/orchestrator/x.ts',
        "import { runnerText } from '../claude-lines.js';\nexport const x = runnerText;\n",
      ),
    ).toEqual([]);
  });
});
