import { describe, expect, it } from 'vitest';
import { parseRunnerVersion, secretFlagFor } from '../../../../supervisor/src/roles/claude-version.js';

describe('runner version', () => {
  it('picks the secret flag by version', () => {
    expect(secretFlagFor(parseRunnerVersion('2.1.230 (Claude Code)'))).toBe('--environment-secret-file');
    expect(secretFlagFor(parseRunnerVersion('2.1.216 (Claude Code)'))).toBe('--environment-secret-file');
    expect(secretFlagFor(parseRunnerVersion('2.1.215 (Claude Code)'))).toBe('--pool-secret-file');
    expect(secretFlagFor(parseRunnerVersion('garbage'))).toBe('--environment-secret-file');
  });
});
