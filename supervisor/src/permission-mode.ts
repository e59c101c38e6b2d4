/** Claude Code's `--permission-mode` values; the wrapper forces one after the runner's flags. */
export const permissionModes = ['bypassPermissions', 'auto', 'acceptEdits', 'default', 'dontAsk', 'plan'] as const;
export type PermissionMode = (typeof permissionModes)[number];
