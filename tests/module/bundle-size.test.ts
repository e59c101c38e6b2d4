import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/sandbox.js';

/** A size budget (a size, not a timing): the bundle ships inside every workspace's script. */
describe('bundle size budget', () => {
  const bundle = fs.readFileSync(path.join(repoRoot, 'module', 'supervisor.cjs'));

  it('module/supervisor.cjs stays under 400 KiB raw', () => {
    expect(bundle.length).toBeLessThan(400 * 1024);
  });

  it('its embedded form (gzip + base64) keeps the rendered launcher under 150 KiB', () => {
    expect(Math.ceil(gzipSync(bundle, { level: 6 }).length / 3) * 4).toBeLessThan(150 * 1024);
  });
});
