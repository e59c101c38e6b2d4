import { supervisorCommands, type Command } from '../commands/command-table.js';
import { spawnRunnerEntry } from '../commands/spawn-runner.js';

/** Every command of any bundle, for tests and tools (each bundle carries its own: bundles/). */
export const allCommands: readonly Command[] = [...supervisorCommands, spawnRunnerEntry];
