// The protocol that the Anthropic API double speaks was read from the pinned binary
// (tests/fixtures/runner-protocol-<version>.json). Every excerpt listed there must still be in the
// binary: a new pinned version that drops one fails here, so an upgrade cannot leave the double
// behind unnoticed. The binary is only read, never run.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinnedClaudeCodeVersion, realClaudeBinary } from '../helpers/network-guard.js';
import { fixtures } from '../helpers/real-runner.js';

const protocolFile = path.join(fixtures, `runner-protocol-${pinnedClaudeCodeVersion}.json`);

/** Every `strings` list in the fixture, with where it stands. */
function excerpts(value: unknown, where: string, out: { where: string; text: string }[] = []) {
  if (Array.isArray(value)) value.forEach((item, i) => excerpts(item, `${where}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    const named = (value as { call?: unknown }).call;
    for (const [key, item] of Object.entries(value)) {
      const here = typeof named === 'string' ? `${where} (${named}).${key}` : `${where}.${key}`;
      if (key === 'strings' && Array.isArray(item))
        for (const text of item) out.push({ where: here, text: String(text) });
      else excerpts(item, here, out);
    }
  }
  return out;
}

describe(`the protocol fixture for ${pinnedClaudeCodeVersion}`, () => {
  it('exists for the pinned version, and every excerpt in it is in the pinned binary', () => {
    expect(fs.existsSync(protocolFile), `${protocolFile}: read the new binary's protocol and record it`).toBe(true);
    const protocol = JSON.parse(fs.readFileSync(protocolFile, 'utf8')) as { version: string };
    expect(protocol.version).toBe(pinnedClaudeCodeVersion);
    const wanted = excerpts(protocol, 'protocol');
    expect(wanted.length).toBeGreaterThan(100);

    const binary = fs.readFileSync(realClaudeBinary());
    // The embedded JavaScript is one region of the file: look there first (the whole file is
    // 380 MB, and a search of all of it per excerpt would take seconds).
    const anchor = binary.indexOf('/v1/code/runners/self-hosted/runners/register');
    expect(anchor, 'the registration path is not in the binary at all').toBeGreaterThan(-1);
    const window = binary.subarray(Math.max(0, anchor - 32 * 2 ** 20), anchor + 32 * 2 ** 20);
    const missing = wanted.filter(({ text }) => window.indexOf(text) === -1 && binary.indexOf(text) === -1);
    expect(missing.map(({ where, text }) => `${where}: ${text}`)).toEqual([]);
  });
});
