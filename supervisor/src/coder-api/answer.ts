import { failureCode, type HttpAnswer } from './http.js';

/**
 * One reading of Coder's answers, for every caller (eviction, the token checks, the spawn hook
 * and whatever asks Coder next), as undici keeps one list of what is transient:
 * - `ok`: a 2xx;
 * - `transient`: asking again later may work: 429 (rate limited, for the whole fleet that shares
 *   the token owner's budget), a 5xx that is a server's trouble, or no answer at all;
 * - `refused`: Coder said no, and asking again changes nothing: every other 4xx, and a 5xx that
 *   is a permission answer in disguise (Coder v2.30 to v2.36 answer 500 `rbac: forbidden` when a
 *   scoped token may not read what a request needs, and 500 `ambiguous` for an allow list entry
 *   `template:<id>`; measured in tests/coder/token-matrix.test.ts).
 * What a refusal means, and what to do about it, is each caller's (it knows the request).
 */
export type AnswerReading = { kind: 'ok' } | { kind: 'transient'; why: string } | { kind: 'refused'; why: string };

/** A 5xx whose body says that the token lacks a permission, not that the server is in trouble. */
const permissionInDisguise = /rbac: forbidden|ambiguous/;

/** Whether asking again later may get another answer (the one predicate; see AnswerReading). */
export function isTransient(answer: Pick<HttpAnswer, 'status' | 'body'>): boolean {
  const { status } = answer;
  return status === 429 || (status >= 500 && !permissionInDisguise.test(answer.body));
}

export function readAnswer(answer: Pick<HttpAnswer, 'status' | 'body'>): AnswerReading {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 429) return { kind: 'transient', why: '429 rate limited' };
  if (isTransient(answer)) return { kind: 'transient', why: `${status} server error` };
  return { kind: 'refused', why: `${status}` };
}

/** A request that got no answer (network error, timeout): always transient. */
export function readFailure(error: unknown): Extract<AnswerReading, { kind: 'transient' }> {
  return { kind: 'transient', why: `request failed: ${failureCode(error)}` };
}

/** The verdict of a check against Coder: one type (state/status.ts, where the status records it). */
export type { CheckVerdict, CheckVerdictKind } from '../state/status.js';
