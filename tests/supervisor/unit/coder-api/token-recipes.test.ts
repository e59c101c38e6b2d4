import { describe, expect, it } from 'vitest';
import { parseCoderVersion, type CoderVersion } from '../../../../supervisor/src/coder-api/server-version.js';
import {
  coderVersionLines,
  recipeText,
  tokenAdvice,
  versionLine,
} from '../../../../supervisor/src/coder-api/token-recipes.js';
import { poolRunnerProfile } from '../../../../supervisor/src/roles/runner/runner-profile.js';

const v = (s: string) => parseCoderVersion(s) as CoderVersion;

describe('the Coder versions table', () => {
  it('is ordered oldest first, and every row names the release it was measured on, inside the row', () => {
    const starts = coderVersionLines.map((row) => v(row.from));
    for (let i = 1; i < starts.length; i += 1) {
      expect(versionLine(starts[i])).toBe(coderVersionLines[i]);
      expect(versionLine(starts[i - 1])).toBe(coderVersionLines[i - 1]);
    }
    for (const row of coderVersionLines) {
      expect(row.measuredOn.length).toBeGreaterThan(0);
      for (const measured of row.measuredOn) expect(versionLine(v(measured))).toBe(row);
    }
  });

  it.each([
    ['v2.24.0', 'v2.0.0'],
    ['v2.27.0', 'v2.0.0'],
    ['v2.28.0', 'v2.28.0'],
    ['v2.30.0', 'v2.28.0'],
    ['v2.34.2', 'v2.28.0'],
    ['v2.34.3', 'v2.34.3'],
    ['v2.36.1', 'v2.34.3'],
  ])('%s falls in the row from %s', (release, from) => {
    expect(versionLine(v(release)).from).toBe(from);
  });

  it('treats an unknown release as the newest row, whose advice is the check’s own', () => {
    expect(versionLine(undefined)).toBe(coderVersionLines.at(-1));
    expect(tokenAdvice(undefined, 'dynamic')).toBeUndefined();
    expect(tokenAdvice(v('v2.36.0'), 'classic')).toBeUndefined();
  });

  it('fits the dashboard: every advice, after the refusal and its status, within the last-error item (200 characters)', () => {
    for (const row of coderVersionLines) {
      for (const flow of ['dynamic', 'classic', undefined] as const) {
        const advice = tokenAdvice(v(row.measuredOn[0] as string), flow);
        const reason = `${poolRunnerProfile.credentialRefused}: 403: ${advice ?? ''}`;
        expect(reason.length, reason).toBeLessThanOrEqual(200);
      }
    }
  });

  it('names the recipe of the release and flow, or the unscoped owner token where none is scoped', () => {
    const { classic, dynamic } = versionLine(v('v2.30.0')).recipes;
    if (!classic || !dynamic) throw new Error('v2.30.0 has a token for each flow');
    expect(tokenAdvice(v('v2.30.0'), 'classic')).toContain(recipeText(classic));
    expect(tokenAdvice(v('v2.30.0'), 'dynamic')).toContain(recipeText(dynamic));
    expect(tokenAdvice(v('v2.24.0'), 'classic')).toContain('unscoped token of a runner-owner account');
  });
});
