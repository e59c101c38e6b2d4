import { describe, expect, it } from 'vitest';
import { inputs, type InputSpec } from '../../../../../supervisor/src/config/inputs.js';
import { kindOf } from '../../../../../supervisor/src/config/kinds/index.js';
import { hclRegex } from '../../../../../supervisor/src/config/kinds/kind.js';
import { loadRunnerConfig } from '../../../../../supervisor/src/config/config.js';
import { ConfigError } from '../../../../../supervisor/src/shared/errors.js';

const env = {
  HOME: '/home/coder',
  CLAUDE_POOL_SECRET: 'pool-secret-x',
  CODER_SELF_TOKEN: 'token-x',
  CODER_WORKSPACE_ID: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  CODER_AGENT_URL: 'https://coder.example.com/',
};

function problems(argv: string[], overrides: Record<string, string> = {}): string[] {
  try {
    loadRunnerConfig(argv, { ...env, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the kinds of input', () => {
  it('give every row a message and a help note', () => {
    for (const spec of Object.values(inputs) as InputSpec[]) {
      const kind = kindOf(spec);
      expect(kind.message(spec, 'x')).toMatch(/^x /);
      expect(kind.helpNote(spec)).not.toBe('');
    }
  });

  it('agree between the supervisor and the construct on the values each accepts', () => {
    const cases: [InputSpec, string, boolean][] = [
      [inputs.healthPort, '8080', true],
      [inputs.healthPort, '0', false],
      [inputs.quarantineMin, '0.5', true],
      [inputs.agentProxyUrl, 'https://proxy.example.com/', true],
      [inputs.agentProxyUrl, 'https://u:p@proxy.example.com/', false],
      [inputs.clientLabel, 'owner/workspace', true],
      [inputs.clientLabel, 'tab\there', false],
      [inputs.runnerUser, 'claude-runner', true],
      [inputs.runnerUser, 'Root', false],
    ];
    for (const [spec, raw, ok] of cases) {
      const value = spec.kind === 'number' ? Number(raw) : raw;
      const parsed = kindOf(spec).validator(spec, env).safeParse(raw);
      expect([spec.variable, raw, parsed.success]).toEqual([spec.variable, raw, ok]);
      expect([spec.variable, raw, kindOf(spec).accepts(spec, value)]).toEqual([spec.variable, raw, ok]);
    }
  });

  it('spell a pattern for Terraform without the escaped slashes of its JavaScript source', () => {
    expect(hclRegex(/^https:\/\/[^/@]+$/)).toBe('"^https://[^/@]+$"');
  });

  it('never quote back an agent URL that does not parse: it may hold a password', () => {
    const said = problems([], { CODER_AGENT_URL: 'https://u:SECRETPW@[not-a-host' }).join('\n');
    expect(said).toMatch(/CODER_AGENT_URL: expected the Coder deployment's http\(s\) URL/);
    expect(said).not.toContain('SECRETPW');
  });

  it('name every owned flag in the extra runner arguments, not only the first', () => {
    const argv = ['--extra-runner-arg=--capacity=3', '--extra-runner-arg=--log-file', '--extra-runner-arg=--x'];
    expect(problems(argv)).toEqual([
      '--extra-runner-arg: --capacity, --log-file are set by the supervisor or by its own input and cannot be passed here',
    ]);
  });
});
