import { execa } from 'execa';

export interface RunnerVersion {
  raw: string;
  parts: [number, number, number] | undefined;
}

/** The first version and build that use `--environment-secret-file`, and the runner's minimum. */
export const environmentSecretFlagSince: [number, number, number] = [2, 1, 216];
export const minimumRunnerVersion: [number, number, number] = [2, 1, 224];

export function parseRunnerVersion(output: string): RunnerVersion {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  return {
    raw: output.trim().split('\n')[0] ?? '',
    parts: match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined,
  };
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The secret flag for this runner: the old spelling only for builds that predate the new one. */
export function secretFlagFor(version: RunnerVersion): '--environment-secret-file' | '--pool-secret-file' {
  if (version.parts && compareVersions(version.parts, environmentSecretFlagSince) < 0) return '--pool-secret-file';
  return '--environment-secret-file';
}

export async function detectRunnerVersion(runnerBinary: string): Promise<RunnerVersion> {
  const result = await execa(runnerBinary, ['--version'], { reject: false, stdin: 'ignore', timeout: 15_000 });
  return parseRunnerVersion(`${String(result.stdout)}\n${String(result.stderr)}`);
}
