import type { CoderClient } from './client.js';
import type { BuildInfo } from './types.js';
import { apiPaths } from './urls.js';

/** A Coder server's release, as `GET /api/v2/buildinfo` names it (`v2.30.0+8a3c1f2`). */
export interface CoderVersion {
  /** `v<major>.<minor>.<patch>`, without the build's commit. */
  text: string;
  major: number;
  minor: number;
  patch: number;
}

/** The release in a version string (`v2.30.0`, `2.30.0`, `v2.36.0+abc1234`), or undefined. */
export function parseCoderVersion(raw: string): CoderVersion | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(raw.trim());
  if (!match) return undefined;
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  return { text: `v${major}.${minor}.${patch}`, major, minor, patch };
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareCoderVersions(a: CoderVersion, b: CoderVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * The server's version, or undefined when it cannot be read (no answer, not a release: a
 * development build says `v0.0.0-devel`). Only ever used to word advice: nothing depends on it.
 */
export async function readServerVersion(coder: CoderClient): Promise<CoderVersion | undefined> {
  try {
    const answer = await coder.get<BuildInfo>(apiPaths.buildInfo());
    const version = answer.status === 200 ? answer.json?.version : undefined;
    const parsed = typeof version === 'string' ? parseCoderVersion(version) : undefined;
    return parsed && parsed.major > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}
