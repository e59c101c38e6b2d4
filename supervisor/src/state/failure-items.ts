import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadStateConfig, type Env } from '../config/config.js';
import { inputs, type InputSpec } from '../config/inputs.js';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { lastErrorItemKey, lastErrorItemMax, oneLine, stateItemKey, stateItemMax } from './items.js';
import { statePaths } from './paths.js';
import fs from 'node:fs';

/** The flags that say where the state is (the dashboard items live there). */
const stateFlags = (Object.values(inputs) as InputSpec[])
  .filter((spec) => spec.scope === 'state' && spec.flag)
  .map((spec) => spec.flag as string);

/**
 * Writes why `start` (or `run`) failed before the supervisor ran into the dashboard items, so the
 * dashboard names the failure instead of showing `?` everywhere. Best effort: when even the state
 * dir is unknown (its own flag is wrong) or cannot be written, only the error output says it.
 */
export function recordStartFailure(argv: readonly string[], env: Env, message: string): void {
  try {
    // Only the state flags, read leniently: the failure may be that another flag is wrong.
    const options = Object.fromEntries(stateFlags.map((flag) => [flag, { type: 'string' as const }]));
    const { values } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true });
    const stateArgv = stateFlags.flatMap((flag) =>
      typeof values[flag] === 'string' ? [`--${flag}`, values[flag] as string] : [],
    );
    const paths = statePaths(loadStateConfig(stateArgv, env));
    // Never the state dir itself: a bad configuration creates nothing (the launcher made it already).
    if (!fs.statSync(paths.stateDir).isDirectory()) return;
    fs.mkdirSync(paths.itemsDir, { recursive: true, mode: 0o700 });
    writeFileAtomically(
      path.join(paths.itemsDir, stateItemKey),
      oneLine(`start failed: ${message}`, stateItemMax),
      0o644,
    );
    writeFileAtomically(path.join(paths.itemsDir, lastErrorItemKey), oneLine(message, lastErrorItemMax), 0o644);
  } catch {
    // Nowhere to write: the launcher's output (the agent's log) still has the message.
  }
}
