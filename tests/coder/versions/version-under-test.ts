import fs from 'node:fs';
import path from 'node:path';
import { parseCoderVersion, type CoderVersion } from '../../../supervisor/src/coder-api/server-version.js';
import {
  versionLine,
  type CoderVersionLine,
  type ParameterFlow,
  type TokenRecipe,
} from '../../../supervisor/src/coder-api/token-recipes.js';
import { coderVersion } from '../../helpers/coder-server.js';
import { repoRoot } from '../../helpers/repo-root.js';

/*
 * Which Coder server this run of tests/coder is on (scripts/test-coder.sh sets CSR_CODER_VERSION
 * for each of scripts/versions.env's CODER_SERVER_OLDER_VERSIONS; without it, the newest), and
 * how its runner templates are set up: the parameter flow and the self-evict token that the
 * supervisor's table (supervisor/src/coder-api/token-recipes.ts) recommends for that release.
 */

function pinned(name: string): string {
  const env = fs.readFileSync(path.join(repoRoot, 'scripts', 'versions.env'), 'utf8');
  const value = new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(env)?.[1];
  if (value === undefined) throw new Error(`scripts/versions.env has no ${name}`);
  return value;
}

export const newestVersion = pinned('CODER_SERVER_VERSION');
export const olderVersions = pinned('CODER_SERVER_OLDER_VERSIONS').split(/\s+/).filter(Boolean);

export const versionUnderTest: CoderVersion = (() => {
  const text = coderVersion || newestVersion;
  const parsed = parseCoderVersion(text);
  if (!parsed) throw new Error(`not a Coder release: ${text}`);
  return parsed;
})();

export const lineUnderTest: CoderVersionLine = versionLine(versionUnderTest);

/** The recommended token for a flow on this release: the table's, else the owner's unscoped token. */
export function recommendedToken(flow: ParameterFlow): TokenRecipe {
  return lineUnderTest.recipes[flow] ?? { scopes: [], allowList: [], legacyScope: 'all' };
}

/** A recipe as the token request's JSON body part, ids filled in. */
export function tokenRequestOf(
  recipe: TokenRecipe,
  ids: { workspace: string; owner: string },
): { scopes?: string[]; allow_list?: string[]; scope?: string } {
  if (recipe.legacyScope) return { scope: recipe.legacyScope };
  return {
    scopes: [...recipe.scopes],
    allow_list: recipe.allowList.map((e) =>
      e.replace('<workspace id>', ids.workspace).replace('<owner id>', ids.owner),
    ),
  };
}

/**
 * The runner templates on this release: dynamic parameters (Coder's default) when a token for
 * them exists, else the classic flow when one exists for it, else dynamic with the owner's
 * unscoped token; the template variable self_evict_token_request ({workspace} and {owner} stand
 * for the ids, filled in by Terraform).
 */
export function runnerTemplateSetup(): { flow: ParameterFlow; tokenRequest: string } {
  const flow: ParameterFlow = lineUnderTest.recipes.dynamic || !lineUnderTest.recipes.classic ? 'dynamic' : 'classic';
  return {
    flow,
    tokenRequest: JSON.stringify(
      tokenRequestOf(recommendedToken(flow), { workspace: '{workspace}', owner: '{owner}' }),
    ),
  };
}
