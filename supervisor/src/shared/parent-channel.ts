/**
 * The IPC channel to the process that started this one: `start`, or the stall watchdog of a
 * stalled supervisor (process/stall-watchdog.ts), which SIGKILLs its own process as soon as the
 * secrets are handed over. So the parent may be gone at any moment of the hand-over, and Node
 * reports a write to a dead parent (EPIPE) or to a closed channel as an `error` event on
 * `process`: with no listener, that event kills the fresh supervisor at once (issue 28).
 * Everything sent to the parent goes through here: with a callback, so an error comes back to
 * the caller instead, and with one listener on `process` for whatever the channel emits itself.
 */

let guarded = false;

/** Keeps an error of the channel to the parent from ever ending this process. */
export function guardParentChannel(): void {
  if (guarded || !process.channel) return;
  guarded = true;
  process.on('error', () => undefined);
}

/** Sends one message to the parent; resolves false, never throws, when the parent is gone. */
export function sendToParent(message: unknown): Promise<boolean> {
  guardParentChannel();
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve(false);
      return;
    }
    try {
      process.send(message, undefined, {}, (error) => resolve(!error));
    } catch {
      resolve(false);
    }
  });
}

/** Lets the channel go (the parent no longer waits for this process); harmless when it is gone. */
export function releaseParentChannel(): void {
  guardParentChannel();
  try {
    if (process.connected) process.disconnect();
  } catch {
    // Already closed: nothing to release.
  }
}
