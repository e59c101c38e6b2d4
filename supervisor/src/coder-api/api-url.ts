/**
 * Joins the Coder deployment URL (CODER_AGENT_URL, often with a trailing `/`, possibly with a
 * path prefix when Coder is served under one) with an API path.
 */
export function joinApiUrl(baseUrl: string, apiPath: string): string {
  const base = new URL(baseUrl);
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  base.pathname = prefix + apiPath.replace(/^\/+/, '');
  base.search = '';
  base.hash = '';
  return base.toString();
}

export function workspaceBuildsUrl(baseUrl: string, workspaceId: string): string {
  return joinApiUrl(baseUrl, `api/v2/workspaces/${encodeURIComponent(workspaceId)}/builds`);
}

export function workspaceUrl(baseUrl: string, workspaceId: string): string {
  return joinApiUrl(baseUrl, `api/v2/workspaces/${encodeURIComponent(workspaceId)}`);
}
