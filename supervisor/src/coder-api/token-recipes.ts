import { compareCoderVersions, parseCoderVersion, type CoderVersion } from './server-version.js';

/**
 * The self-evict token that works, per Coder release and template parameter flow: the one table
 * that the token check's advice, the version suite (tests/coder/versions/) and README's "Coder
 * versions" table follow. Rows are measured on the release named in `measuredOn` by the version
 * suite; what a row says of the releases between two measured ones comes from Coder's source at
 * the served tags (which scopes `coderd/rbac/scopes_catalog.go` lets a user request, whether
 * `codersdk.CreateTokenRequest` has `allow_list`).
 */
export type ParameterFlow = 'dynamic' | 'classic';

/** A token request; allow-list entries name `<workspace id>` and `<owner id>`. */
export interface TokenRecipe {
  /** `scopes` of the request, or the legacy `scope` of a server without scoped tokens. */
  scopes: readonly string[];
  allowList: readonly string[];
  /** The legacy single `scope` field (servers before v2.27 know no other). */
  legacyScope?: 'all';
}

export interface CoderVersionLine {
  /** The first release of this row (inclusive); a row ends where the next one starts. */
  from: string;
  /** The releases the version suite measured this row on. */
  measuredOn: readonly string[];
  /** The smallest token that deletes its own workspace, per flow; undefined: no scoped token can. */
  recipes: Record<ParameterFlow, TokenRecipe | undefined>;
  /** Why, in a few words, for the dashboard: what this release lacks. */
  limit?: string;
}

const classic: TokenRecipe = {
  scopes: ['workspace:read', 'workspace:delete', 'template:read'],
  allowList: ['workspace:<workspace id>', 'template:*'],
};

/** The owner's own token, all of its rights: the only one that deletes on a server without scoped tokens. */
export const unscopedRecipe: TokenRecipe = { scopes: [], allowList: [], legacyScope: 'all' };

/** Oldest first. */
export const coderVersionLines: readonly CoderVersionLine[] = [
  {
    from: 'v2.0.0',
    measuredOn: ['v2.24.0'],
    // codersdk.CreateTokenRequest has only `scope` (all, application_connect): a request with
    // `scopes` and `allow_list` is minted as an unscoped token (measured).
    recipes: { dynamic: undefined, classic: undefined },
    limit: 'has no scoped tokens (scopes and allow_list are ignored)',
  },
  {
    from: 'v2.28.0',
    measuredOn: ['v2.30.0'],
    // `user:read` is not a requestable scope (400 at mint), and the delete of a workspace with
    // dynamic parameters reads its owner.
    recipes: {
      dynamic: {
        scopes: ['coder:all'],
        allowList: ['workspace:<workspace id>', 'template:*', 'user:<owner id>'],
      },
      classic,
    },
    limit: 'cannot mint user:read',
  },
  {
    // scopes_catalog.go lets users request `user:read` again at v2.34.3 (v2.31.0 to v2.34.2 are
    // not served here: they fall in the row above, whose tokens work there too).
    from: 'v2.34.3',
    measuredOn: ['v2.36.0'],
    recipes: {
      dynamic: {
        scopes: ['workspace:read', 'workspace:delete', 'template:read', 'user:read'],
        allowList: ['workspace:<workspace id>', 'template:*', 'user:<owner id>'],
      },
      classic,
    },
  },
];

/** The row of a release (the newest row when the release is unknown). */
export function versionLine(version: CoderVersion | undefined): CoderVersionLine {
  const rows = [...coderVersionLines].reverse();
  const newest = rows[0] as CoderVersionLine;
  if (!version) return newest;
  return rows.find((row) => compareCoderVersions(version, parseCoderVersion(row.from) as CoderVersion) >= 0) ?? newest;
}

/** The recipe as one short line: `scopes a,b, allow_list workspace:<id>,...` (or the legacy scope). */
export function recipeText(recipe: TokenRecipe): string {
  if (recipe.legacyScope) return `scope ${recipe.legacyScope} (an unscoped token)`;
  const entries = recipe.allowList.map((e) => e.replace('<workspace id>', '<id>').replace('<owner id>', '<owner>'));
  return `scopes ${recipe.scopes.join(',')}, allow_list ${entries.join(',')}`;
}

const guide = 'docs/self-evict-token.md';

/**
 * What to do about a refused self-evict token on this release, in one line short enough for the
 * dashboard's last-error item beside the refusal (its 200 characters hold the role's words, the
 * status and this; the risks of each choice are in docs/self-evict-token.md); undefined on a
 * release whose advice is the check's own (the newest row).
 */
export function tokenAdvice(version: CoderVersion | undefined, flow: ParameterFlow | undefined): string | undefined {
  const line = versionLine(version);
  if (!version || line === coderVersionLines.at(-1)) return undefined;
  const recipe = line.recipes[flow ?? 'dynamic'];
  if (!recipe)
    return `Coder ${version.text} ignores scopes: use the unscoped token of a runner-owner account (${guide})`;
  return `Coder ${version.text}, ${flow === 'classic' ? 'classic flow' : 'dynamic parameters'}: ${recipeText(recipe)}`;
}

/**
 * What on-demand needs on this release beyond the orchestrator's own token, for the
 * orchestrator's check when it refuses: the self-evict token its runner template must mint there
 * (the create itself, with `template_version_preset_id` and an ephemeral parameter, works on every
 * release of the table: measured by the version suite). Undefined on the newest row.
 */
export function onDemandAdvice(version: CoderVersion | undefined, flow: ParameterFlow | undefined): string | undefined {
  const advice = tokenAdvice(version, flow);
  return advice && `its runner template's self-evict token on ${advice}`;
}
