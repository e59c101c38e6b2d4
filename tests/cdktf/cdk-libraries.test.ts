import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';
import { planTemplate } from '../helpers/template-plan.js';

/**
 * The construct library with either CDK library: cdktf 0.21 (archived) and its maintained fork
 * cdktn 0.24. Each synthesizes every example template in a process of its own, the fork through
 * a resolve hook that maps `cdktf` to `cdktn` (tests/fixtures/cdk-library/use-cdktn.mjs, as if
 * cdktf/src/cdk-lib.ts named it); the fork's stacks must be the same as cdktf's but for the
 * library's version in their metadata, and they validate and plan with the real provider.
 */
const tf = path.join(repoRoot, 'scripts', 'tf.sh');
const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'cdk-library');
const tsxLoader = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const libraries = ['cdktf', 'cdktn'] as const;
type Library = (typeof libraries)[number];
type Stacks = { pool: string; runner: string; orchestrator: string };

const versionOf = (library: Library): string =>
  (
    JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', library, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

let work: string;
const stacks = {} as Record<Library, Stacks>;

async function synthWith(library: Library): Promise<Stacks> {
  const hook = library === 'cdktn' ? ['--import', path.join(fixtures, 'use-cdktn.mjs')] : [];
  const run = await execa(
    process.execPath,
    ['--import', tsxLoader, ...hook, path.join(fixtures, 'synth-templates.ts'), path.join(work, library)],
    // cdktf's default local backend is a state file in the working directory: one of its own.
    { cwd: work },
  );
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Stacks;
}

const stackJson = (dir: string): Record<string, unknown> & { '//': { metadata: Record<string, unknown> } } =>
  JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as never;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-libraries-'));
  const [cdktf, cdktn] = await Promise.all(libraries.map(synthWith));
  stacks.cdktf = cdktf as Stacks;
  stacks.cdktn = cdktn as Stacks;
}, 120_000);
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the construct library with cdktf and with its fork cdktn', () => {
  it('each process synthesized with its own library (the version in each stack says which)', () => {
    expect(versionOf('cdktf')).toMatch(/^0\.21\./);
    expect(versionOf('cdktn')).toMatch(/^0\.24\./);
    for (const library of libraries) {
      for (const dir of Object.values(stacks[library])) {
        expect(stackJson(dir)['//'].metadata.version, `${library}: ${dir}`).toBe(versionOf(library));
      }
    }
  });

  it('the fork synthesizes the same stacks, the same assets included, but for that version', () => {
    for (const name of ['pool', 'runner', 'orchestrator'] as const) {
      const [a, b] = libraries.map((library) => {
        const json = stackJson(stacks[library][name]);
        delete json['//'].metadata.version;
        return json;
      });
      expect(b, name).toEqual(a);
      const files = (library: Library) =>
        fs.readdirSync(path.join(stacks[library][name], 'assets'), { recursive: true }).map(String).sort();
      expect(files('cdktn'), `${name} assets`).toEqual(files('cdktf'));
    }
  });

  it("the fork's stacks validate and plan with the real coder provider", async () => {
    const { pool, runner, orchestrator } = stacks.cdktn;
    const env = (dir: string, extra: Record<string, string> = {}) => ({
      TF_DATA_DIR: path.join(dir, '.terraform'),
      CODER_WORKSPACE_ID: '0f8f5d6e-1c2b-4a39-8d7e-6b5a4c3d2e1f',
      CODER_WORKSPACE_TRANSITION: 'start',
      ...extra,
    });
    const plans: [string, Record<string, string>, Record<string, string>, number][] = [
      [pool, env(pool), { pool_secret: 'pool-x', self_evict_token: 'token-x' }, 9],
      [runner, env(runner, { CODER_WORKSPACE_IS_PREBUILD: 'true' }), { self_evict_token: 'token-x' }, 9],
      [orchestrator, env(orchestrator), { environment_secret: 'secret-x', runner_owner_token: 'owner-x' }, 5],
    ];
    for (const [dir, environment, vars, resources] of plans) {
      await execa(tf, ['init', '-input=false', '-no-color'], { cwd: dir, env: environment });
      const validate = await execa(tf, ['validate', '-no-color'], { cwd: dir, env: environment });
      expect(validate.stdout).toContain('Success! The configuration is valid.');
      const plan = await planTemplate(dir, environment, vars, path.join(dir, 'plan.out'));
      expect(plan.text, dir).toContain(`Plan: ${resources} to add, 0 to change, 0 to destroy.`);
    }
  });
});
