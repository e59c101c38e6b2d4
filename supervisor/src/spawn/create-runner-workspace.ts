import { CoderClient, type ApiAnswer } from '../coder-api/client.js';
import { failureCode, type HttpClient } from '../coder-api/http.js';
import type {
  CreateWorkspaceRequest,
  Preset,
  Template,
  TemplateVersionParameter,
  Workspace,
} from '../coder-api/types.js';
import { apiPaths } from '../coder-api/urls.js';
import {
  classifyCoderAnswer,
  refuse,
  retry,
  unreachable,
  userMessages,
  type HookOutcome,
  type SpawnStep,
} from './hook-outcome.js';
import { orderParameterProblem } from './order-parameter.js';
import type { SpawnRequest } from './work-order.js';
import { workspaceNameFor } from './workspace-name.js';

export interface SpawnTarget {
  coderUrl: string;
  /** The runner-owner account's token (a plain member creating its own workspaces). */
  token: string;
  /** The owner of runner workspaces: `me` (the token's user) or a user name. */
  owner: string;
  organization: string;
  template: string;
  /** The preset whose prebuilds are the warm buffer; undefined: always a fresh build. */
  preset: string | undefined;
  /** The template's parameter that carries the work order (ephemeral, mutable, empty in a prebuild). */
  orderParameter: string;
  namePrefix: string;
  /** The hook must end well within the orchestrator's --hook-timeout. */
  deadlineMs: number;
}

export interface SpawnDeps {
  http?: HttpClient;
  now: () => number;
}

/**
 * One spawn request, one Coder workspace: the runner template (its active version) with its
 * preset (on Premium this claims a ready prebuild, otherwise it is a fresh build) and the work
 * order as the build parameter. Returns as soon as Coder accepted the create: the build goes on
 * without the hook. Idempotent on the order id (the workspace's name derives from it); never
 * retries on its own: Anthropic asks again.
 */
export async function createRunnerWorkspace(
  target: SpawnTarget,
  request: SpawnRequest,
  deps: SpawnDeps,
): Promise<HookOutcome & { workspace?: { id: string; name: string } }> {
  const deadline = deps.now() + target.deadlineMs;
  const coder = new CoderClient({
    baseUrl: target.coderUrl,
    token: target.token,
    requestTimeoutMs: target.deadlineMs,
    http: deps.http,
  });
  const remaining = (): number => Math.max(1, deadline - deps.now());
  const name = workspaceNameFor(target.namePrefix, request.orderId);

  async function call<T>(step: SpawnStep, send: () => Promise<ApiAnswer<T>>) {
    try {
      return { answer: await send() };
    } catch (error) {
      return { outcome: unreachable(step, failureCode(error)) };
    }
  }

  const template = await call('template', () =>
    coder.get<Template>(apiPaths.organizationTemplateByName(target.organization, target.template), remaining()),
  );
  if (template.outcome) return template.outcome;
  if (template.answer.status !== 200 || !template.answer.json?.id)
    return classifyCoderAnswer('template', template.answer);
  const { id: templateId, active_version_id: versionId } = template.answer.json;

  // The preset and the order's parameter of the active version, asked side by side.
  const [presets, parameters] = await Promise.all([
    target.preset === undefined
      ? undefined
      : call('presets', () => coder.get<Preset[]>(apiPaths.templateVersionPresets(versionId), remaining())),
    call('parameters', () =>
      coder.get<TemplateVersionParameter[]>(apiPaths.templateVersionRichParameters(versionId), remaining()),
    ),
  ]);
  if (parameters.outcome) return parameters.outcome;
  if (parameters.answer.status !== 200) return classifyCoderAnswer('parameters', parameters.answer);
  const missing = orderParameterProblem(parameters.answer.json ?? [], target.orderParameter, target.template);
  if (missing) return refuse(missing, userMessages.request);

  let presetId: string | undefined;
  if (presets) {
    if (presets.outcome) return presets.outcome;
    if (presets.answer.status !== 200) return classifyCoderAnswer('presets', presets.answer);
    presetId = (presets.answer.json ?? []).find((p) => p.Name === target.preset)?.ID;
    if (!presetId) {
      return refuse(
        `the active version of template ${target.template} has no preset named ${JSON.stringify(target.preset)}`,
        userMessages.template,
      );
    }
  }

  const body: CreateWorkspaceRequest = {
    name,
    template_id: templateId,
    ...(presetId ? { template_version_preset_id: presetId } : {}),
    rich_parameter_values: [{ name: target.orderParameter, value: request.order }],
  };
  const created = await call('create', () =>
    coder.post<Workspace>(apiPaths.userWorkspaces(target.owner), body, remaining()),
  );
  if (created.outcome) return created.outcome;
  const answer = created.answer;
  if (answer.status >= 200 && answer.status < 300) {
    const id = answer.json?.id;
    // A success without the workspace in it proves nothing was made: Anthropic asks again.
    if (typeof id !== 'string' || id === '') {
      return retry(`creating the runner workspace: Coder answered ${answer.status} without a workspace in its body`);
    }
    return {
      exit: 0,
      detail: `created workspace ${name} (${id})${presetId ? ` with preset ${target.preset}` : ''}`,
      workspace: { id, name },
    };
  }
  if (answer.status === 409 && /already exists/i.test(answer.body)) {
    // The same request again: its workspace exists. Confirmed by name, so a 409 for any other
    // reason is never taken for success.
    const found = await call('confirm', () =>
      coder.get<Workspace>(apiPaths.userWorkspaceByName(target.owner, name), remaining()),
    );
    if (found.outcome) return found.outcome;
    if (found.answer.status === 200 && found.answer.json?.id) {
      return {
        exit: 0,
        detail: `workspace ${name} (${found.answer.json.id}) already exists for this order: nothing to do`,
        workspace: { id: found.answer.json.id, name },
      };
    }
    return classifyCoderAnswer('confirm', found.answer);
  }
  return classifyCoderAnswer('create', answer);
}
