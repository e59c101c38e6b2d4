import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allRoles } from '../../../../supervisor/src/bundles/all-roles.js';
import { systemRuntime } from '../../../../supervisor/src/executor/runtime.js';
import { exitKinds } from '../../../../supervisor/src/lifecycle/exit-kind.js';
import { roleNames, type RoleName } from '../../../../supervisor/src/config/inputs.js';
import { createSilentLogger } from '../../../../supervisor/src/shared/log.js';
import { statePaths } from '../../../../supervisor/src/state/paths.js';
import { emptyStatus } from '../../../../supervisor/src/state/status.js';
import { readIsolationRecord } from '../../../../supervisor/src/workspace/isolation.js';
import { repoRoot } from '../../../helpers/repo-root.js';

/** What each role needs to load: a role without a row here fails below, so a new role gets one. */
const minimalInputs: Record<RoleName, { argv: string[]; env: Record<string, string> }> = {
  runner: {
    argv: [],
    env: {
      CLAUDE_POOL_SECRET: 'SECRET-VALUE-x',
      CODER_SELF_TOKEN: 'token',
      CODER_WORKSPACE_ID: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      CODER_AGENT_URL: 'http://127.0.0.1:9/',
    },
  },
  orchestrator: {
    argv: ['--role', 'orchestrator', '--runner-template', 'runner'],
    env: { CLAUDE_POOL_SECRET: 'SECRET-VALUE-x', CODER_SPAWN_TOKEN: 'token', CODER_AGENT_URL: 'http://127.0.0.1:9/' },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every role of the registry has every piece that the executor, the modules and the docs count on. */
describe('the registry of roles', () => {
  it('has every role name, once', () => {
    expect(allRoles.definitions.map((d) => d.name).sort()).toEqual([...roleNames].sort());
  });

  describe.each(allRoles.definitions.map((d) => [d.name, d] as const))('the %s role', (name, definition) => {
    const load = () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-registry-'));
      dirs.push(home);
      const inputs = minimalInputs[name];
      const loaded = allRoles.load(inputs.argv, { HOME: home, ...inputs.env });
      const paths = statePaths(loaded.config);
      const log = createSilentLogger();
      const isolation = readIsolationRecord({}, paths);
      return { loaded, role: loaded.create(paths, log, { isolation }, { ...systemRuntime, env: { HOME: home } }) };
    };

    it('loads from its inputs, with its secrets known for redaction', () => {
      const { loaded } = load();
      expect(loaded.name).toBe(name);
      expect(loaded.secrets).toContain('SECRET-VALUE-x');
      expect(loaded.secrets).toContain('token');
    });

    it('has a profile with a row for every exit kind', () => {
      const { role } = load();
      for (const kind of exitKinds) {
        const rule = role.profile.exits[kind];
        expect(rule, kind).toBeDefined();
        expect(rule.reason({ what: `${role.profile.program} exited`, said: 'x', line: 'y' }), kind).not.toBe('');
      }
    });

    it("renders its program's argv", async () => {
      const { role } = load();
      const { options } = await role.spawnOptions(undefined);
      expect(options.args.length).toBeGreaterThan(0);
      expect(options.args.join(' ')).not.toContain('SECRET-VALUE-x');
    });

    it("owns exactly its module's dashboard items, in order", () => {
      const { role } = load();
      const file = JSON.parse(fs.readFileSync(path.join(repoRoot, 'module', definition.itemsFile), 'utf8')) as {
        key: string;
      }[];
      const keys = file.map((item) => item.key);
      expect([...definition.itemKeys]).toEqual(keys);
      expect(Object.keys(role.dashboardItems(emptyStatus(new Date(0), name)))).toEqual(keys);
    });
  });

  it('refuses a role that the bundle does not carry, saying where it ships', () => {
    const only = new (
      allRoles.constructor as typeof import('../../../../supervisor/src/roles/registry.js').RoleRegistry
    )(allRoles.definitions.filter((d) => d.name === 'runner'));
    const inputs = minimalInputs.orchestrator;
    expect(() => only.load(inputs.argv, { HOME: '/h', ...inputs.env })).toThrow(
      /--role orchestrator: this bundle supervises only the runner role; the orchestrator role ships in its own module, as module\/orchestrator\.cjs/,
    );
  });
});
