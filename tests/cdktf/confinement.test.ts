import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/sandbox.js';

/** CDKTF stays confined to cdktf/: the supervisor and the HCL module never depend on it. */
const read = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8');
const sources = (dir: string): string[] =>
  fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));

describe('CDKTF confinement', () => {
  it('is a peer dependency of the construct and only a dev dependency of the project', () => {
    const root = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(root.dependencies)).not.toEqual(expect.arrayContaining(['cdktf']));
    expect(Object.keys(root.dependencies)).not.toEqual(expect.arrayContaining(['constructs']));
    const construct = JSON.parse(read('cdktf/package.json')) as { peerDependencies: Record<string, string> };
    expect(Object.keys(construct.peerDependencies).sort()).toEqual(['cdktf', 'constructs']);
  });

  it('never reaches the supervisor or its bundle', () => {
    for (const file of sources('supervisor/src')) expect(read(file), file).not.toMatch(/from '(cdktf|constructs)'/);
    expect(read('module/supervisor.cjs')).not.toMatch(/cdktf|constructs/);
  });

  it('is named in one place of the construct, so moving to the cdktn fork is a one-line change', () => {
    const naming = sources('cdktf/src').filter((file) => /from 'cdktf'/.test(read(file)));
    expect(naming).toEqual(['cdktf/src/cdk-lib.ts']);
  });
});
