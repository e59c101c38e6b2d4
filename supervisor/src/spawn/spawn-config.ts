import fs from 'node:fs';
import * as z from 'zod/mini';
import { ConfigError } from '../shared/errors.js';
import type { SpawnTarget } from './create-runner-workspace.js';
import { maxNamePrefixLength, workspaceNamePattern } from './workspace-name.js';

/**
 * What the orchestrator's supervisor hands its spawn-runner hook: a 0400 file in its state dir,
 * written from the inputs table at start (so the hook's own command line holds no value, and the
 * Coder token is never on a command line or in an environment).
 */
const schema = z.object({
  coderUrl: z.string().check(z.minLength(1)),
  token: z.string().check(z.minLength(1)),
  owner: z.string().check(z.minLength(1)),
  organization: z.string().check(z.minLength(1)),
  template: z.string().check(z.minLength(1)),
  preset: z.optional(z.string()),
  orderParameter: z.string().check(z.minLength(1)),
  namePrefix: z.string().check(
    z.maxLength(maxNamePrefixLength),
    z.refine((v) => workspaceNamePattern.test(v), 'not a workspace name'),
  ),
  deadlineMs: z.number().check(z.positive()),
});

export type SpawnConfig = SpawnTarget;

export function writeSpawnConfig(file: string, config: SpawnConfig, write: (file: string, text: string) => void): void {
  write(file, `${JSON.stringify(schema.parse(config))}\n`);
}

export function readSpawnConfig(file: string): SpawnConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`--config: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError([`--config: ${file} is not JSON: the orchestrator's supervisor writes it at start`]);
  }
  const parsed = schema.safeParse(json);
  // The file holds the token: its values are never quoted, only the fields that are wrong.
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `--config: ${i.path.join('.') || 'file'}: ${i.message}`));
  return { ...parsed.data, preset: parsed.data.preset };
}
