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
 *
 * It also leaves out of the bundle the modules of the pure libs whose exports no workflow uses
 * (the HTTP query, notification and assignment-body schemas): with the SDK's reusable V8 context
 * every workflow execution runs the module scope of everything bundled, so each zod schema built
 * there was built again for every new or replayed workflow and kept for as long as it is cached
 * (docs/PERFORMANCE.md, P1 and P6). The libs are side-effect free by rule (no module-level state);
 * their zod `.meta()` registrations only feed the OpenAPI document, which no workflow builds.
 */
export function webpackConfigHook(config: Configuration): Configuration {
  const resolve = config.resolve ?? {};
  const alias = Array.isArray(resolve.alias) ? {} : (resolve.alias ?? {});
  config.resolve = { ...resolve, alias: { ...alias, ...WORKFLOW_LIB_ALIASES } };
  config.optimization = { ...config.optimization, sideEffects: true, usedExports: true, providedExports: true };
  config.module = {
    ...config.module,
    rules: [...(config.module?.rules ?? []), { include: Object.values(WORKFLOW_LIB_ALIASES), sideEffects: false }],
  };
  return config;
}
