import { CoderClient } from '../coder-api/client.js';
import { isTransient, readFailure, type CheckVerdict } from '../coder-api/answer.js';
import type { HttpAnswer, HttpClient } from '../coder-api/http.js';
import type { AuthorizationRequest, AuthorizationResponse, Template, Workspace } from '../coder-api/types.js';
import { readServerVersion } from '../coder-api/server-version.js';
import { apiPaths } from '../coder-api/urls.js';
import { tokenAdvice, type ParameterFlow } from '../coder-api/token-recipes.js';

/**
 * Before a workspace serves anyone, the supervisor proves that its token could delete it, without
 * deleting it. Measured on a real Coder v2.36.0 (tests/coder/token-matrix.test.ts): the
 * authorization check alone is not truthful (a token without a template entry gets `delete:
 * true` and its delete answers 500), but reading the own workspace, its template and, with
 * dynamic parameters, its owner, plus the authorization check, separate every working token from
 * every failing one.
 */
export type TokenCheck = CheckVerdict;

export interface TokenCheckOptions {
  agentUrl: string;
  workspaceId: string;
  token: string;
  requestTimeoutMs: number;
}

const guide = 'see docs/self-evict-token.md';

function unknownOf(what: string, answer: HttpAnswer): TokenCheck | undefined {
  if (isTransient(answer)) {
    return { verdict: 'unknown', problem: `${what} answered ${answer.status}` };
  }
  return undefined;
}

function workspaceRefusal(answer: HttpAnswer, workspaceId: string): string {
  switch (answer.status) {
    case 401:
      return '401: the self-evict token is missing, expired or revoked; mint one for each workspace start';
    case 403:
      return `403 reading its own workspace: give the token scope template:read with allow_list template:* (${guide})`;
    case 404:
      return `404 reading workspace ${workspaceId}: check workspace_id, scope workspace:read and allow_list workspace:${workspaceId}`;
    default:
      return /ambiguous/.test(answer.body)
        ? `${answer.status} reading its own workspace: allow_list template:<id> hits a Coder bug; use template:* (${guide})`
        : `${answer.status} reading its own workspace: give the token scope template:read with allow_list template:* (${guide})`;
  }
}

/** The value of a settled request, or its failure thrown (classified by the caller). */
function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

export async function checkSelfEvictToken(options: TokenCheckOptions, http: HttpClient): Promise<TokenCheck> {
  const coder = new CoderClient({
    baseUrl: options.agentUrl,
    token: options.token,
    requestTimeoutMs: options.requestTimeoutMs,
    http,
  });
  const seen: { flow?: ParameterFlow } = {};
  const check = await checkAgainst(coder, options, seen);
  // A token that is missing or expired needs minting, whatever the server's release.
  if (check.verdict !== 'refused' || check.problem.startsWith('401')) return check;
  // Refused: the fix depends on what the server can mint (only asked now, so a working token
  // costs no request more). The status stays in front; the advice replaces the newest row's fix.
  const advice = tokenAdvice(await readServerVersion(coder), seen.flow);
  if (!advice) return check;
  const status = /^\d{3}/.exec(check.problem)?.[0];
  return { verdict: 'refused', problem: status ? `${status}: ${advice}` : advice };
}

async function checkAgainst(
  coder: CoderClient,
  options: TokenCheckOptions,
  seen: { flow?: ParameterFlow },
): Promise<TokenCheck> {
  try {
    const workspace = await coder.get<Workspace>(apiPaths.workspace(options.workspaceId));
    if (workspace.status !== 200) {
      return (
        unknownOf('GET of its own workspace', workspace) ?? {
          verdict: 'refused',
          problem: workspaceRefusal(workspace, options.workspaceId),
        }
      );
    }
    const ownerId = workspace.json?.owner_id;
    const templateId = workspace.json?.template_id;
    if (!ownerId || !templateId)
      return { verdict: 'unknown', problem: 'the workspace answer had no owner or template' };

    const check: AuthorizationRequest = {
      checks: {
        delete: {
          object: { resource_type: 'workspace', resource_id: options.workspaceId, owner_id: ownerId },
          action: 'delete',
        },
      },
    };
    // The template and the authorization check need only the workspace's answer: asked at once
    // (the user waits for this check on the way to the runner), read in the order of the checks,
    // so a failure of the later one never hides what the earlier one says.
    const [templateAnswer, authAnswer] = await Promise.allSettled([
      coder.get<Template>(apiPaths.template(templateId)),
      coder.post<AuthorizationResponse>(apiPaths.authCheck(), check),
    ]);
    const template = settledValue(templateAnswer);
    if (template.status !== 200) {
      return (
        unknownOf('GET of its template', template) ?? {
          verdict: 'refused',
          problem: `${template.status} reading its template: give the token scope template:read with allow_list template:* (${guide})`,
        }
      );
    }
    seen.flow = template.json?.use_classic_parameter_flow === true ? 'classic' : 'dynamic';
    if (seen.flow === 'dynamic') {
      const owner = await coder.get(apiPaths.user(ownerId));
      if (owner.status !== 200) {
        return (
          unknownOf('GET of its owner', owner) ?? {
            verdict: 'refused',
            problem: `${owner.status} reading its owner (dynamic parameters): add scope user:read with allow_list user:${ownerId}`,
          }
        );
      }
    }

    const auth = settledValue(authAnswer);
    if (auth.status !== 200) return { verdict: 'unknown', problem: `the authorization check answered ${auth.status}` };
    if (auth.json?.delete !== true) {
      return {
        verdict: 'refused',
        problem: `the token may not delete its workspace: give it scope workspace:delete with allow_list workspace:${options.workspaceId} (${guide})`,
      };
    }
    return { verdict: 'ok' };
  } catch (error) {
    return { verdict: 'unknown', problem: `Coder could not be asked (${readFailure(error).why})` };
  }
}
