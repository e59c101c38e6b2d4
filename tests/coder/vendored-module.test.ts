import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { pushTemplateWithCli, templateWithVendoredModule } from '../helpers/coder-server.js';
import { repoRoot } from '../helpers/sandbox.js';
import { coder } from '../helpers/coder-workspace.js';

/*
 * Coder limits a pushed template archive to 1 MiB. A template author who vendors the module
 * (air-gapped) copies the packaged release (scripts/package-module.sh): it must stay well
 * under that, and a template that vendors it must push with the real CLI.
 */

const { info, admin } = coder();

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(p) : fs.statSync(p).size;
  }
  return total;
}

describe('the packaged module', () => {
  it('is well under 1 MiB, and a template that vendors it pushes with `coder templates push`', async () => {
    const dir = await templateWithVendoredModule(
      info.root,
      path.join(repoRoot, 'tests', 'coder', 'template'),
      'vendored',
    );
    const module = path.join(dir, 'claude-self-hosted-runner');
    expect(fs.readdirSync(module).sort()).toEqual(
      expect.arrayContaining(['main.tf', 'module', 'outputs.tf', 'variables.tf']),
    );
    expect(sizeOf(module)).toBeLessThan(768 * 1024);
    const tar = await execa('tar', ['-C', dir, '-cf', '-', '.'], { encoding: 'buffer' });
    expect(tar.stdout.length).toBeLessThan(1 << 20);

    const pushed = await pushTemplateWithCli(info, info.admin.token, 'vendored', dir, {
      test_root: info.root,
      agent_user: info.agentUser,
      runner_binary_path: '/nonexistent/claude',
      claude_binary_path: '/nonexistent/claude',
      coder_bootstrap_token: 'unused',
    });
    expect(pushed.exitCode, pushed.all).toBe(0);
    const template = await admin.ok<{ active_version_id: string }>(
      'GET',
      `/api/v2/organizations/${info.orgId}/templates/vendored`,
    );
    const version = await admin.ok<{ job: { status: string } }>(
      'GET',
      `/api/v2/templateversions/${template.active_version_id}`,
    );
    expect(version.job.status).toBe('succeeded');
  });
});
