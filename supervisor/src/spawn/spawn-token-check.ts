import { CoderClient, errorExcerpt, type ApiAnswer } from '../coder-api/client.js';
import { isTransient, readFailure, type CheckVerdict } from '../coder-api/answer.js';
import type { HttpClient } from '../coder-api/http.js';
import type {
  AuthorizationRequest,
  AuthorizationResponse,
  Preset,
  Template,
  TemplateVersionParameter,
} from '../coder-api/types.js';
import { readServerVersion } from '../coder-api/server-version.js';
import { apiPaths } from '../coder-api/urls.js';
import { onDemandAdvice, type ParameterFlow } from '../coder-api/token-recipes.js';
import type { SpawnTarget } from './create-runner-workspace.js';
import { orderParameterProblem } from './order-parameter.js';

/** What the hook will use, less what only a create needs, and a timeout per request. */
export type SpawnTokenCheckOptions = Omit<SpawnTarget, 'namePrefix' | 'deadlineMs'> & { requestTimeoutMs: number };

export type SpawnTokenCheck = CheckVerdict;

/**
 * Before the orchestrator polls for a single spawn request, proves without creating anything
 * that its Coder token can create a runner workspace as the hook will: the owner, the template
 * by name, its preset in the active version, and Coder's authorization check for a create.
 */
export async function checkSpawnToken(options: SpawnTokenCheckOptions, http?: HttpClient): Promise<SpawnTokenCheck> {
  const coder = new CoderClient({
    baseUrl: options.coderUrl,
    token: options.token,
    requestTimeoutMs: options.requestTimeoutMs,
    http,
  });
  const seen: { flow?: ParameterFlow } = {};
  const check = await checkAgainst(coder, options, seen);
  if (check.verdict !== 'refused' || check.problem.startsWith('coder_token is missing')) return check;
  // Refused: on an older release, also what its runner workspaces need there (read only now, so
  // a working token costs no request more).
  const advice = onDemandAdvice(await readServerVersion(coder), seen.flow);
  return advice ? { verdict: 'refused', problem: `${check.problem}; ${advice}` } : check;
}

async function checkAgainst(
  coder: CoderClient,
  options: SpawnTokenCheckOptions,
  seen: { flow?: ParameterFlow },
): Promise<SpawnTokenCheck> {
  const refusedBy = (what: string, answer: ApiAnswer<unknown>, fix: string): SpawnTokenCheck =>
    isTransient(answer)
      ? { verdict: 'unknown', problem: `${what} answered ${answer.status}` }
      : { verdict: 'refused', problem: `${what} answered ${answer.status} (${errorExcerpt(answer.body)}): ${fix}` };
  try {
    const owner = await coder.get<{ id?: string }>(apiPaths.user(options.owner));
    if (owner.status === 401) {
      return {
        verdict: 'refused',
        problem: 'coder_token is missing, expired or revoked: mint a token of the runner-owner account',
      };
    }
    if (owner.status !== 200 || !owner.json?.id) {
      return refusedBy(
        `reading the runner owner ${options.owner}`,
        owner,
        'check runner_owner and that the token may read that user',
      );
    }
    const template = await coder.get<Template>(
      apiPaths.organizationTemplateByName(options.organization, options.template),
    );
    if (template.status !== 200 || !template.json?.id) {
      return refusedBy(
        `reading template ${options.template} in organization ${options.organization}`,
        template,
        'check runner_template and runner_organization, and that the runner owner may use the template',
      );
    }
    seen.flow = template.json.use_classic_parameter_flow === true ? 'classic' : 'dynamic';
    if (options.preset !== undefined) {
      const presets = await coder.get<Preset[]>(apiPaths.templateVersionPresets(template.json.active_version_id));
      if (presets.status !== 200) return refusedBy("reading the template's presets", presets, 'check runner_preset');
      if (!(presets.json ?? []).some((p) => p.Name === options.preset)) {
        return {
          verdict: 'refused',
          problem: `the active version of template ${options.template} has no preset named ${JSON.stringify(options.preset)}: check runner_preset`,
        };
      }
    }
    const parameters = await coder.get<TemplateVersionParameter[]>(
      apiPaths.templateVersionRichParameters(template.json.active_version_id),
    );
    if (parameters.status !== 200)
      return refusedBy("reading the template's parameters", parameters, 'check runner_template');
    const missing = orderParameterProblem(parameters.json ?? [], options.orderParameter, options.template);
    if (missing) {
      return {
        verdict: 'refused',
        problem: `${missing}: add it (README, "On-demand mode") or set work_order_parameter`,
      };
    }
    const check: AuthorizationRequest = {
      checks: {
        create: {
          object: {
            resource_type: 'workspace',
            owner_id: owner.json.id,
            organization_id: template.json.organization_id,
          },
          action: 'create',
        },
      },
    };
    const auth = await coder.post<AuthorizationResponse>(apiPaths.authCheck(), check);
    if (auth.status !== 200) return refusedBy('the authorization check', auth, 'check the token');
    if (auth.json?.create !== true) {
      return {
        verdict: 'refused',
        problem: `the token may not create workspaces for ${options.owner}: use a token of the runner-owner account itself (runner_owner = "me"), or one allowed to create workspaces for it`,
      };
    }
    return { verdict: 'ok' };
  } catch (error) {
    return { verdict: 'unknown', problem: `Coder could not be asked (${readFailure(error).why})` };
  }
}
