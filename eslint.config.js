import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The supervisor's layers, lowest first: a folder may import from its own layer and those below,
 * never from one above (docs/architecture.md). Folders of one layer do not import each other.
 */
const layers = [
  ['shared'],
  ['config'],
  ['state'],
  ['coder-api'],
  ['workspace'],
  ['process'],
  ['lifecycle', 'eviction', 'spawn', 'reconcile'],
  ['roles'],
  ['executor'],
  ['commands'],
];

/* Folders that only decide (pure: no I/O, no clock, no randomness), with the folders they may read. */
const pureFolders = { lifecycle: ['lifecycle', 'state', 'config'], reconcile: ['reconcile', 'coder-api'] };

const folderPattern = (folder) => [`../${folder}/*`, `../../${folder}/*`, `../../../${folder}/*`, `./${folder}/*`];

/*
 * Each role is a folder of roles/ (roles/registry.ts lists them). A role never imports a sibling
 * role (what both need sits beside roles/role.ts), and nothing above roles/ names one: the
 * executor and the commands get a role from the registry; only a bundle's entry
 * (supervisor/src/bundles/) picks its roles.
 */
const roleFolders = ['runner', 'orchestrator'];
const rolePattern = (role) => [`./${role}/*`, `../${role}/*`, `../roles/${role}/*`, `../../roles/${role}/*`];

function layerRules() {
  return layers.flatMap((layer, index) => {
    const above = layers.slice(index + 1).flat();
    const siblings = layer;
    const namesRoles = (folder) => ['executor', 'commands'].includes(folder);
    // The top layer has nothing above it and nothing beside it: only the rule about roles applies.
    if (above.length === 0 && siblings.length === 1 && !namesRoles(siblings[0])) return [];
    const scopes = (folder) =>
      folder === 'roles'
        ? [
            { files: ['supervisor/src/roles/*.ts'], roles: roleFolders, what: 'roles/' },
            ...roleFolders.map((role) => ({
              files: [`supervisor/src/roles/${role}/**/*.ts`],
              roles: roleFolders.filter((r) => r !== role),
              what: `roles/${role}`,
            })),
          ]
        : [
            {
              files: [`supervisor/src/${folder}/**/*.ts`],
              roles: namesRoles(folder) ? roleFolders : [],
              what: folder,
            },
          ];
    return siblings.flatMap((folder) =>
      scopes(folder).map(({ files, roles, what }) => ({
        files,
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                ...(above.length + siblings.length > 1
                  ? [
                      {
                        group: [...above, ...siblings.filter((s) => s !== folder)].flatMap(folderPattern),
                        message: `supervisor/src/${folder} may not import from a layer above it or beside it (eslint.config.js, docs/architecture.md).`,
                      },
                    ]
                  : []),
                ...(roles.length > 0
                  ? [
                      {
                        group: roles.flatMap(rolePattern),
                        message: `supervisor/src/${what} may not import a role's folder: roles share what sits beside roles/role.ts, and the rest get a role from the registry (docs/architecture.md).`,
                      },
                    ]
                  : []),
                ...(folder in pureFolders
                  ? [
                      {
                        group: [
                          'node:*',
                          'execa',
                          'pino',
                          'zod',
                          'zod/*',
                          ...layers
                            .flat()
                            .filter((f) => !pureFolders[folder].includes(f))
                            .flatMap(folderPattern),
                        ],
                        message: `${folder}/ is pure: no I/O, no processes, no clock; it decides, the executor acts.`,
                      },
                    ]
                  : []),
              ],
            },
          ],
          ...(folder in pureFolders
            ? {
                'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch', 'require'],
                'no-restricted-properties': [
                  'error',
                  { object: 'Date', property: 'now', message: `${folder}/ is pure: take the time from the event.` },
                  { object: 'Math', property: 'random', message: `${folder}/ is pure: jitter is the executor’s.` },
                ],
              }
            : {}),
        },
      })),
    );
  });
}

export default tseslint.config(
  {
    ignores: [
      'module/supervisor.cjs',
      'module/orchestrator.cjs',
      'node_modules/**',
      '.cache/**',
      'cdktf/src/gen/**',
      '**/cdktf.out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortSignal: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        require: 'readonly',
        __filename: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  ...layerRules(),
);
