import type { PermissionMode } from '../config/inputs.js';
import { shellQuote } from '../shared/shell-quote.js';
import { renderSwitchLines } from './session-user.js';

export interface SessionWrapperOptions {
  claudeBinary: string;
  permissionMode: PermissionMode;
  lockedFlag: string;
  sessionsFile: string;
  /** With a session user: the wrapper ends by switching to it (workspace/session-user.ts) instead of exec'ing claude. */
  switchTo?: { sudo: string; user: string; entry: string };
}

/**
 * The script that the runner execs once per session process. For a session start it records the
 * lock first (a session can start and end between two health polls, so this is the surest
 * evidence), with the time and the session id that the runner set, then it execs claude
 * with the runner's flags and a last-wins `--permission-mode`. It must exec: stdin is the
 * session's control channel and fd 3 its activity pipe, so claude must inherit both, and
 * nothing here reads stdin or touches fd 3. Recording never stops the session from starting.
 */
export function renderSessionWrapper(options: SessionWrapperOptions): string {
  const locked = shellQuote(options.lockedFlag);
  const sessions = shellQuote(options.sessionsFile);
  return [
    '#!/bin/sh',
    '# Written by the claude-self-hosted-runner supervisor; rewritten at every start.',
    '# Only a session start locks the workspace: the runner sets these for every session process',
    '# it starts (a call such as --version or --help has neither).',
    'if [ -n "${CLAUDE_CODE_REMOTE_SESSION_ID:-}${CLAUDE_RUNNER_SESSION_UUID:-}" ]; then',
    '  record="$(date +%s) ${CLAUDE_CODE_REMOTE_SESSION_ID:-$CLAUDE_RUNNER_SESSION_UUID}"',
    `  printf '%s\\n' "$record" >>${sessions} 2>/dev/null </dev/null`,
    `  if [ ! -e ${locked} ]; then`,
    `    { printf '%s\\n' "$record" >${shellQuote(`${options.lockedFlag}.tmp`)}.$$ && mv -f ${shellQuote(`${options.lockedFlag}.tmp`)}.$$ ${locked}; } 2>/dev/null </dev/null`,
    '  fi',
    'fi',
    ...(options.switchTo
      ? renderSwitchLines(options.switchTo.sudo, options.switchTo.user, options.switchTo.entry)
      : [`exec ${shellQuote(options.claudeBinary)} "$@" --permission-mode ${shellQuote(options.permissionMode)}`]),
    '',
  ].join('\n');
}

/** Prints the git token from the environment; the token itself is never written to disk. */
export function renderGitAskpass(): string {
  return [
    '#!/bin/sh',
    '# Written by the claude-self-hosted-runner supervisor.',
    'printf \'%s\\n\' "$GIT_BOT_TOKEN"',
    '',
  ].join('\n');
}
