import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, for every test helper and test. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
