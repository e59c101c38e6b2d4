// (a) The supervisor's version detection against the real `claude --version`.
import { describe, expect, it } from 'vitest';
import { parseRunnerVersion, secretFlagFor } from '../../supervisor/src/roles/claude-version.js';
import { pinnedClaudeCodeVersion, runClaudeOnce } from '../helpers/network-guard.js';

describe('the real claude --version', () => {
  it('parses as the pinned version and picks --environment-secret-file', async () => {
    const result = await runClaudeOnce(['--version'], { timeoutMs: 60_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${pinnedClaudeCodeVersion} (Claude Code)\n`);
    const version = parseRunnerVersion(`${result.stdout}\n${result.stderr}`);
    expect(version.raw).toBe(`${pinnedClaudeCodeVersion} (Claude Code)`);
    expect(version.parts?.join('.')).toBe(pinnedClaudeCodeVersion);
    expect(secretFlagFor(version)).toBe('--environment-secret-file');
  });
});
