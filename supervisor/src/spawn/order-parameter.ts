import type { TemplateVersionParameter } from '../coder-api/types.js';

/**
 * Why a template version cannot carry the work order, or undefined when it can. Coder accepts a
 * create with a parameter the template does not have (measured: 201) and drops it, so the
 * workspace would wait for an order that never comes: both the orchestrator's boot check and the
 * hook prove the parameter first. It must be an ephemeral (never kept in a later build), mutable
 * (set by the claim's start build) string.
 */
export function orderParameterProblem(
  parameters: readonly TemplateVersionParameter[],
  name: string,
  template: string,
): string | undefined {
  const parameter = parameters.find((p) => p.name === name);
  if (parameter && parameter.type === 'string' && parameter.mutable && parameter.ephemeral) return undefined;
  return `the active version of template ${template} has no ephemeral, mutable string parameter ${JSON.stringify(name)} for the work order`;
}
