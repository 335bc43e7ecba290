import * as path from 'path';
import type { Configuration } from 'webpack';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Aliases the workflow bundle may resolve: only the pure libs, never persistence or Nest. */
export const WORKFLOW_LIB_ALIASES: Record<string, string> = {
  '@app/domain': path.join(REPO_ROOT, 'libs/domain/src'),
  '@app/contracts': path.join(REPO_ROOT, 'libs/contracts/src'),
};

export const WORKFLOWS_PATH = path.join(REPO_ROOT, 'workflows/src/index.ts');

/**
 * Temporal's bundler ignores tsconfig `paths`; this hook teaches it the `@app/*` aliases.
 * Shared by the worker, the workflow tests and the replay tests so all bundle the same code.
 */
export function webpackConfigHook(config: Configuration): Configuration {
  const resolve = config.resolve ?? {};
  const alias = Array.isArray(resolve.alias) ? {} : (resolve.alias ?? {});
  config.resolve = { ...resolve, alias: { ...alias, ...WORKFLOW_LIB_ALIASES } };
  return config;
}
