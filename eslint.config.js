import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first, in the order data flows (README, Layout). A folder may import
 * only the folders before it; the drivers (cli/, action/) and the entry files come last and may
 * import any layer. Enforced with no-restricted-imports on the import's text: a file of src/db
 * importing `../cli/flags.js` (or `../../cli/...` from a subfolder) is refused.
 */
const LAYERS = ['api', 'common', 'cost', 'results', 'db', 'suites', 'project', 'verdict', 'report', 'github', 'config', 'run', 'duet', 'publish'];
const DRIVERS = ['cli', 'action'];
/** src/index.ts, src/main.ts (the action), src/cli.ts, src/worker.ts (duet's worker process), src/ts-hooks.ts (the TypeScript loader's module hooks). */
const ENTRY_FILES = ['index', 'main', 'cli', 'worker', 'ts-hooks'];
const ORDER = `${LAYERS.join(' < ')} < ${DRIVERS.join(', ')}`;

/** Libraries that belong to one folder: the GitHub client to github/, the runner's toolkit to action/. */
const OWNED_LIBRARIES = [
  { owner: 'github', group: ['@actions/github', '@octokit/*'], message: 'Only src/github imports the GitHub client (@actions/github, @octokit/*).' },
  { owner: 'action', group: ['@actions/core'], message: 'Only src/action (action-io.ts) and src/main.ts import @actions/core; take an ActionIo.' },
];

/** The owned libraries `folder` may not import. */
const foreignLibraries = (folder) =>
  OWNED_LIBRARIES.filter((library) => library.owner !== folder).map(({ group, message }) => ({ group, message }));

/** One config block per layer forbidding every folder above it, the drivers and the entry files. */
function layerRules() {
  return LAYERS.map((layer, index) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\.?/)+(${[...LAYERS.slice(index + 1), ...DRIVERS].join('|')})/`,
              message: `src/${layer} may import only the folders before it in the flow (${ORDER}; README, Layout).`,
            },
            {
              regex: `^(\\.\\./)+(${ENTRY_FILES.join('|')})\\.js$`,
              message: `src/${layer} may not import an entry file; only the entries import the drivers and each other.`,
            },
            ...foreignLibraries(layer),
          ],
        },
      ],
    },
  }));
}

/** The two drivers share the layers below them, never each other. */
function driverRules() {
  return DRIVERS.map((driver) => ({
    files: [`src/${driver}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\.?/)+(${DRIVERS.filter((other) => other !== driver).join('|')})/`,
              message: `src/${driver} is a driver: it shares the layers below it (${ORDER}) with the other driver, never the other driver itself.`,
            },
            {
              regex: `^(\\.\\./)+(${ENTRY_FILES.join('|')})\\.js$`,
              message: `src/${driver} may not import an entry file.`,
            },
            ...foreignLibraries(driver),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.perf-gate/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  ...layerRules(),
  ...driverRules(),
  {
    // Settings are read once, at the entry (config/settings.ts), and passed down as arguments.
    files: ['src/**/*.ts'],
    ignores: ENTRY_FILES.map((entry) => `src/${entry}.ts`),
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only the entry files read the environment; take the value as an argument (config/settings.ts).' },
      ],
    },
  },
);
