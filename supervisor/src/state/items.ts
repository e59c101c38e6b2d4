import { escapeControls } from '../shared/escape-controls.js';
import type { SupervisorStatus } from './status.js';

/**
 * The dashboard items are one plain-text file each (`<state_dir>/items/<key>`), so the agent's
 * metadata scripts only `cat` a file. Each role owns its items (the module's metadata keys, a
 * contract with its outputs.tf through module/*metadata-items.json); these three are every
 * role's, under the same keys.
 */
export const stateItemKey = '4_supervisor_state';
export const restartsItemKey = '5_restarts';
export const lastErrorItemKey = '6_last_error';

export type SupervisorItemKey = typeof stateItemKey | typeof restartsItemKey | typeof lastErrorItemKey;

/** Those three, in the order that every role's items list ends with. */
export const supervisorItemKeys: readonly SupervisorItemKey[] = [stateItemKey, restartsItemKey, lastErrorItemKey];

/** What the state item may hold: the metadata script shows this much. */
export const stateItemMax = 160;
export const lastErrorItemMax = 200;

/** A text on one line (control characters escaped), cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = escapeControls(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The supervisor's three items: its state in a few words (with `note` at the end, never cut
 * off), its restarts, and the last error (`fallbackError` when the supervisor has none).
 */
export function supervisorItems(
  status: SupervisorStatus,
  note = '',
  fallbackError?: string,
): Record<SupervisorItemKey, string> {
  const lastError = status.lastError ?? fallbackError;
  return {
    [stateItemKey]: `${oneLine(status.display ?? `${status.state}: ${status.reason}`, stateItemMax - note.length)}${note}`,
    [restartsItemKey]: String(status.restarts),
    [lastErrorItemKey]: lastError ? oneLine(lastError, lastErrorItemMax) : 'none',
  } as Record<SupervisorItemKey, string>;
}
