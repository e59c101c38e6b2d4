import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/sandbox.js';

/** A size budget (a size, not a timing): the bundle ships inside every workspace's script. */
describe('bundle size budget', () => {
  const bundle = fs.readFileSync(path.join(repoRoot, 'module', 'supervisor.cjs'));
  const embedded = fs.readFileSync(path.join(repoRoot, 'module', 'supervisor.cjs.br'));

  it('module/supervisor.cjs stays under 400 KiB raw', () => {
    expect(bundle.length).toBeLessThan(400 * 1024);
  });

  // The agent runs the launcher as the one argument of `sh -c`: Linux refuses a single argument
  // of 128 KiB or more (MAX_ARG_STRLEN, E2BIG), so that is a hard limit, not a budget.
  it('its embedded form (brotli + base64) keeps the rendered launcher under the 128 KiB of one argument', () => {
    const template = fs.readFileSync(path.join(repoRoot, 'module', 'launch.sh.tftpl')).length;
    // The rendered flags and paths: a few hundred bytes beyond the template.
    const rendered = Math.ceil(embedded.length / 3) * 4 + template + 1024;
    expect(rendered).toBeLessThan(128 * 1024);
  });
});
