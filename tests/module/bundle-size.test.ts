import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { roleBundles } from '../../supervisor/src/config/inputs.js';
import { repoRoot } from '../helpers/sandbox.js';

/**
 * A size budget (a size, not a timing): each module's bundle ships inside every workspace's
 * script. The agent runs the launcher as the one argument of `sh -c`, and Linux refuses a single
 * argument of 128 KiB or more (MAX_ARG_STRLEN, E2BIG): a hard limit. Each launcher stays under
 * 120 KiB, so that what comes next has room, or the bundle is split further.
 */
describe.each(Object.values(roleBundles))('the bundle module/%s', (file) => {
  const bundle = fs.readFileSync(path.join(repoRoot, 'module', file));
  const embedded = fs.readFileSync(path.join(repoRoot, 'module', `${file}.br`));

  it('stays under 400 KiB raw', () => {
    expect(bundle.length).toBeLessThan(400 * 1024);
  });

  it('keeps its rendered launcher (brotli + base64 embedded) under 120 KiB of the 128 KiB of one argument', () => {
    const template = fs.readFileSync(path.join(repoRoot, 'module', 'launch.sh.tftpl')).length;
    // The rendered flags and paths: a few hundred bytes beyond the template.
    const rendered = Math.ceil(embedded.length / 3) * 4 + template + 1024;
    expect(rendered).toBeLessThan(120 * 1024);
  });
});
