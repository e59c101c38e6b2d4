/**
 * Joins the Coder deployment URL (CODER_AGENT_URL, often with a trailing `/`, possibly with a
 * path prefix when Coder is served under one) with an API path.
 */
export function joinApiUrl(baseUrl: string, apiPath: string): string {
  const base = new URL(baseUrl);
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  // The path's own query (`workspaces?q=...`) is kept as the query, never encoded into the path.
  const at = apiPath.indexOf('?');
  const [pathPart, query] = at === -1 ? [apiPath, ''] : [apiPath.slice(0, at), apiPath.slice(at)];
  base.pathname = prefix + pathPart.replace(/^\/+/, '');
  base.search = query;
  base.hash = '';
  return base.toString();
}

const segment = encodeURIComponent;

/** The API paths that this project calls, one place for all of them. */
export const apiPaths = {
  workspace: (id: string) => `api/v2/workspaces/${segment(id)}`,
  workspaceBuilds: (id: string) => `api/v2/workspaces/${segment(id)}/builds`,
  template: (id: string) => `api/v2/templates/${segment(id)}`,
  user: (idOrName: string) => `api/v2/users/${segment(idOrName)}`,
  userWorkspaces: (user: string) => `api/v2/users/${segment(user)}/workspaces`,
  userWorkspaceByName: (user: string, name: string) => `api/v2/users/${segment(user)}/workspace/${segment(name)}`,
  templateVersionPresets: (versionId: string) => `api/v2/templateversions/${segment(versionId)}/presets`,
  templateVersionRichParameters: (versionId: string) => `api/v2/templateversions/${segment(versionId)}/rich-parameters`,
  organizationTemplateByName: (org: string, name: string) =>
    `api/v2/organizations/${segment(org)}/templates/${segment(name)}`,
  authCheck: () => 'api/v2/authcheck',
  buildInfo: () => 'api/v2/buildinfo',
} as const;

/** The delete build's URL (the request that self-eviction posts). */
export function workspaceBuildsUrl(baseUrl: string, workspaceId: string): string {
  return joinApiUrl(baseUrl, apiPaths.workspaceBuilds(workspaceId));
}
