import { errorExcerpt } from '../coder-api/client.js';
import { readAnswer, readFailure } from '../coder-api/answer.js';
import type { HttpAnswer } from '../coder-api/http.js';

/** What to do with one answer (or failure) of the delete-build request. */
export type EvictionVerdict =
  | { kind: 'success' }
  | { kind: 'gone'; message: string }
  | { kind: 'retry'; why: string; retryAfterMs: number | undefined; ambiguous: boolean }
  | { kind: 'wait-build'; why: string }
  | { kind: 'permanent'; message: string };

/** Parses Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Classifies an answer of `POST /api/v2/workspaces/{id}/builds`. `sawConflictOrDoubt` is true
 * once a 409 or an unanswered request may mean the workspace is being (or was) deleted by
 * someone, which turns a later 404/410 into "already gone" rather than a wrong id.
 */
export function classifyAnswer(
  answer: HttpAnswer,
  workspaceId: string,
  nowMs: number,
  sawConflictOrDoubt: boolean,
): EvictionVerdict {
  const { status } = answer;
  const reading = readAnswer(answer);
  if (reading.kind === 'ok') return { kind: 'success' };
  if (status === 409)
    return { kind: 'wait-build', why: `409 a workspace build is already active: ${errorExcerpt(answer.body)}` };
  // Rate limited, or Coder in trouble: retried with full jitter, honouring Retry-After.
  if (reading.kind === 'transient') {
    return {
      kind: 'retry',
      why: reading.why,
      retryAfterMs: parseRetryAfter(answer.retryAfter, nowMs),
      ambiguous: false,
    };
  }
  // A permission answer dressed as a server error (coder-api/answer.ts): retrying it for the whole
  // deadline would change nothing.
  if (status >= 500) {
    return {
      kind: 'permanent',
      message: `${status} with ${/rbac: forbidden/.test(answer.body) ? 'rbac: forbidden' : 'a permission error'}: the token may not read what the delete needs; give it scope template:read with allow_list template:* (see docs/self-evict-token.md). ${errorExcerpt(answer.body)}`,
    };
  }
  if (status === 410 || (status === 404 && sawConflictOrDoubt)) {
    return { kind: 'gone', message: `workspace ${workspaceId} is already deleted (${status})` };
  }
  if (status === 400 && /workspace owner/i.test(answer.body)) {
    return {
      kind: 'permanent',
      message: `400: the token cannot read the workspace owner, which a dynamic-parameter template needs; give it scope user:read with allow_list user:<owner id> (see docs/self-evict-token.md). ${errorExcerpt(answer.body)}`,
    };
  }
  if (status === 401) {
    return {
      kind: 'permanent',
      message: `401 unauthorized: the self-evict token is missing, expired or revoked (CODER_SELF_TOKEN); mint a new one for this workspace. ${errorExcerpt(answer.body)}`,
    };
  }
  if (status === 403) {
    return {
      kind: 'permanent',
      message: `403 forbidden: the token may not delete workspace ${workspaceId}; give it scopes workspace:read, workspace:delete and template:read with allow_list workspace:${workspaceId} and template:* (see docs/self-evict-token.md). ${errorExcerpt(answer.body)}`,
    };
  }
  if (status === 404) {
    return {
      kind: 'permanent',
      message: `404 not found: workspace ${workspaceId} does not exist or the token cannot read it; check workspace_id (data.coder_workspace.me.id), the workspace:read scope and allow_list workspace:${workspaceId}. ${errorExcerpt(answer.body)}`,
    };
  }
  return { kind: 'permanent', message: `unexpected ${status} from the Coder API: ${errorExcerpt(answer.body)}` };
}

/** Network errors and timeouts: retried; the request may have reached Coder (ambiguous). */
export function classifyFailure(error: unknown): EvictionVerdict {
  return { kind: 'retry', why: readFailure(error).why, retryAfterMs: undefined, ambiguous: true };
}
