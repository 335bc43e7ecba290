// Lint rules that keep the architecture honest: per-folder import rules, no floating promises,
// no import cycles.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

// Every Node built-in, bare and `node:`-prefixed: none may reach code that runs in the workflow sandbox.
const NODE_BUILTINS = builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`]));
const SERVER_PACKAGES = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'uuid',
  'argon2',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];
// Patterns are gitignore-style and would match any path segment ("domain" is a built-in too), so the
// built-ins are listed as exact names, apart from the patterns below.
const SERVER_SIDE = [...SERVER_PACKAGES, '@app/persistence', '@app/temporal', '@app/common'];
// The apps reach Postgres only through libs/persistence's repositories.
const SQL_CLIENTS = ['typeorm', '@nestjs/typeorm', 'pg'];
// Relative paths into the layers above the libs.
const APPS = ['**/apps/*', '**/apps/**', '**/workflows/**', '**/seeds/**', '**/test/**'];

const FOLDER_RULES = [
  {
    files: ['libs/domain/src/**/*.ts'],
    banned: [...SERVER_SIDE, '@temporalio/*', '@app/*', ...APPS],
    builtins: true,
    message: 'libs/domain is pure: no frameworks, I/O, Temporal or other libs',
  },
  {
    files: ['libs/contracts/src/**/*.ts'],
    banned: [...SERVER_SIDE, ...APPS],
    builtins: true,
    message: 'libs/contracts holds definitions only: @app/domain types and Temporal definition helpers',
  },
  {
    files: ['libs/common/src/**/*.ts'],
    banned: ['@app/contracts', '@app/persistence', '@app/temporal', '@temporalio/*', 'typeorm', 'pg', ...APPS],
    message: 'libs/common (configuration, logging) may import only @app/domain',
  },
  {
    files: ['libs/persistence/src/**/*.ts'],
    banned: ['@app/temporal', '@temporalio/*', ...APPS],
    message: 'libs/persistence may import @app/common, @app/contracts and @app/domain, never Temporal or the apps',
  },
  {
    files: ['libs/temporal/src/**/*.ts'],
    banned: ['@app/persistence', 'typeorm', 'pg', ...APPS],
    message: 'libs/temporal may import @app/common and @app/contracts only',
  },
  {
    files: ['workflows/src/**/*.ts'],
    banned: [...SERVER_SIDE, '**/apps/**', '**/seeds/**', '**/test/**'],
    builtins: true,
    message:
      'workflows/ may import only @temporalio/workflow, @temporalio/common, @app/domain, @app/contracts (activity types)',
  },
  {
    files: ['apps/api/src/**/*.ts'],
    banned: ['**/apps/worker/**', '**/worker/src/**', '**/seeds/**', '**/test/**', ...SQL_CLIENTS],
    message:
      'apps/api may import the libs (and workflow types), never the worker, seeds or tests; SQL lives in libs/persistence',
  },
  {
    files: ['apps/worker/src/**/*.ts'],
    banned: ['**/apps/api/**', '**/api/src/**', '**/seeds/**', '**/test/**', ...SQL_CLIENTS],
    message:
      'apps/worker may import the libs and workflows/, never the API, seeds or tests; SQL lives in libs/persistence',
  },
  {
    files: ['seeds/src/**/*.ts'],
    banned: ['**/apps/worker/**', '**/test/**'],
    message: 'seeds/ may import the libs and apps/api (the demo boots it), never the worker or tests',
  },
  {
    // The browser application talks to the API over HTTP only (its tests may read files).
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    ignores: ['apps/web/**/*.spec.ts'],
    banned: [
      ...SERVER_SIDE,
      '@temporalio/*',
      '@app/*',
      '**/api/src/**',
      '**/libs/**',
      '**/workflows/**',
      '**/seeds/**',
    ],
    builtins: true,
    message: 'apps/web may not import server code or Node built-ins: use the generated client (src/api)',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.venv/**',
      '.data/**',
      'coverage/**',
      'seeds/data/**',
      'apps/web/dist/**',
      'apps/web/src/api/schema.d.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only']",
          message: 'focused tests hide the rest of the suite',
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts', 'apps/**/*.ts', 'workflows/src/**/*.ts'],
    rules: { 'import-x/no-cycle': ['error', { maxDepth: 10 }] },
  },
  // One entry per folder rule of docs/ARCHITECTURE.md ("Layout"): what each folder may not import.
  ...FOLDER_RULES.map(({ files, ignores, banned, builtins, message }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: builtins ? NODE_BUILTINS.map((name) => ({ name, message })) : [],
          patterns: [{ group: banned, message }],
        },
      ],
    },
  })),
  {
    // The workflow sandbox has no timers of its own: time comes from the workflow API.
    files: ['workflows/src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() from @temporalio/workflow' },
      ],
    },
  },
  {
    // A new decision type, stage or timer kind must be handled wherever we switch over one.
    files: ['libs/**/*.ts', 'apps/**/*.ts', 'workflows/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'workflows/test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
