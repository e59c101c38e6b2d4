import { errorExcerpt } from '../coder-api/client.js';
import { readAnswer } from '../coder-api/answer.js';
import type { HttpAnswer } from '../coder-api/http.js';

/**
 * The spawn-runner hook's answer to the orchestrator (its documented contract): exit 0 success;
 * 1 retryable (Anthropic asks again later); 2 non-retryable (the request is circuit-broken, the
 * stderr tail is the error, and the last `user-message: ` line is shown to the session's user).
 */
export type HookExit = 0 | 1 | 2;

export interface HookOutcome {
  exit: HookExit;
  /** For the orchestrator's log (and, on a nack, Anthropic): what happened, with Coder's words. */
  detail: string;
  /** For the session's user: what is wrong in words they can act on; no secret, no Coder internals. */
  userMessage?: string;
}

/** Which request of the hook an answer belongs to. */
export type SpawnStep = 'template' | 'presets' | 'parameters' | 'create' | 'confirm';

const stepWhat: Record<SpawnStep, string> = {
  template: 'looking up the runner template',
  presets: "reading the runner template's presets",
  parameters: "reading the runner template's parameters",
  create: 'creating the runner workspace',
  confirm: 'confirming the existing runner workspace',
};

const adminFix = 'An administrator of the runner pool has to fix its set-up; try again once they have.';

/** What the user reads for each kind of set-up problem. */
export const userMessages = {
  token: `The on-demand runner pool cannot create workspaces: its Coder token was refused. ${adminFix}`,
  forbidden: `The on-demand runner pool may not create workspaces from its runner template. ${adminFix}`,
  template: `The on-demand runner pool's template or preset does not exist (any more). ${adminFix}`,
  request: `The on-demand runner pool's template does not accept its workspace request. ${adminFix}`,
  order: 'The on-demand runner pool received an unusable request for this session. Start the session again.',
} as const;

export const retry = (detail: string): HookOutcome => ({ exit: 1, detail });
export const refuse = (detail: string, userMessage: string): HookOutcome => ({ exit: 2, detail, userMessage });

/**
 * Classifies an answer of Coder that is not the success of its step (the hook's table: README,
 * "The spawn-runner hook's answers"). Measured on a real Coder v2.36.0 (tests/coder/on-demand).
 */
export function classifyCoderAnswer(step: SpawnStep, answer: HttpAnswer): HookOutcome {
  const said = `${stepWhat[step]}: Coder answered ${answer.status}: ${errorExcerpt(answer.body)}`;
  const { status } = answer;
  // Rate limited, or Coder itself in trouble: Anthropic asks again later (never retried here).
  if (readAnswer(answer).kind === 'transient') return retry(said);
  if (status === 401) return refuse(said, userMessages.token);
  if (status === 403) return refuse(said, userMessages.forbidden);
  if (status === 404 || status === 410) return refuse(said, userMessages.template);
  if (status === 400) return refuse(said, userMessages.request);
  // A permission answer dressed as a server error (coder-api/answer.ts): the token may not.
  if (status >= 500) return refuse(said, userMessages.forbidden);
  // 409 of anything but the name (handled by the caller), or an answer nothing here expects.
  return retry(said);
}

/** A request that never got an answer (network error, timeout): retried by Anthropic. */
export function unreachable(step: SpawnStep, code: string): HookOutcome {
  return retry(`${stepWhat[step]}: Coder could not be reached (${code})`);
}
