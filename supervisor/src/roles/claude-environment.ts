/**
 * The environment of a program started from the claude binary (the runner, the orchestrator):
 * the supervisor's, without the credentials that only the supervisor may hold.
 */

/** Variables that the claude binary (and the sessions it starts) must not inherit: sessions run arbitrary code. */
export const strippedRunnerEnv = [
  'CLAUDE_POOL_SECRET',
  'CODER_SELF_TOKEN',
  'CLAUDE_WORK_ORDER',
  'CODER_SPAWN_TOKEN',
  // The agent's own token reads the owner's git SSH key and the agent manifest (every coder_env
  // value) from Coder: measured on a real v2.36.0.
  'CODER_AGENT_TOKEN',
] as const;

export function runnerEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || (strippedRunnerEnv as readonly string[]).includes(key)) continue;
    out[key] = value;
  }
  return out;
}
