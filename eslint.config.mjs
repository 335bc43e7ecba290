// Lint rules that keep the architecture honest: per-folder import rules, no floating promises,
// no import cycles.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const SERVER_SIDE = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'fs',
  'path',
  'crypto',
  'child_process',
  'node:*',
  'http',
  'https',
  'net',
  'os',
  'uuid',
  'argon2',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@app/persistence',
  '@app/temporal',
  '@app/common',
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
  {
    // Workflow code runs in Temporal's deterministic sandbox: only the workflow API, pure libs and activity types.
    files: ['workflows/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: SERVER_SIDE,
              message:
                'workflows/ may import only @temporalio/workflow, @temporalio/common, @app/domain, @app/contracts (activity types)',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() from @temporalio/workflow' },
      ],
    },
  },
  {
    // The domain is pure TypeScript: no framework, no I/O, no Temporal.
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...SERVER_SIDE, '@temporalio/*', '@app/*'],
              message: 'libs/domain is pure: no frameworks, I/O or other libs',
            },
          ],
        },
      ],
    },
  },
  {
    // Contracts cross processes: definitions only.
    files: ['libs/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...SERVER_SIDE], message: 'libs/contracts holds definitions only' }] },
      ],
    },
  },
  {
    // The browser application talks to the API over HTTP only: no server code, no Node built-ins.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    ignores: ['apps/web/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...SERVER_SIDE,
                '@temporalio/*',
                '@app/*',
                '**/api/src/**',
                '**/libs/**',
                '**/workflows/**',
                '**/seeds/**',
              ],
              message: 'apps/web may not import server code: use the generated client (src/api)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'workflows/test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
