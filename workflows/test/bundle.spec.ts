import { workflowBundle } from './workflow-env';

/** The modules the workflow bundle holds, by path (webpack names each module by its path). */
async function bundledModules(): Promise<string[]> {
  const { code } = await workflowBundle();
  return [...code.matchAll(/\/\*\*\*\/ "([^"]+)"\n/g)].map((m) => m[1]);
}

// Every workflow execution evaluates the bundle's modules again (reusable V8 context), so what the
// bundle holds and builds at module scope is paid per workflow in CPU and heap (docs/PERFORMANCE.md).
describe('workflow bundle', () => {
  it("holds the decision payloads' schemas but not the HTTP-only ones (submission, queries, notifications)", async () => {
    const modules = await bundledModules();
    const domain = modules.filter((m) => m.includes('libs/domain/src/schemas/'));
    expect(domain.some((m) => m.endsWith('/payloads.ts'))).toBe(true);
    for (const httpOnly of ['submission-payload.ts', 'queries.ts', 'notifications.ts', 'assignment.ts'])
      expect(domain.filter((m) => m.endsWith(`/${httpOnly}`))).toEqual([]);
  }, 60_000);

  it('builds no payload schema at module scope: the payloads module wraps each in a builder', async () => {
    const { code } = await workflowBundle();
    const start = code.indexOf('libs/domain/src/schemas/payloads.ts"\n');
    expect(start).toBeGreaterThan(0);
    const payloads = code.slice(start, code.indexOf('\n/***/ "', start + 1));
    // A module-scope constant whose value is a zod call or a schema primitive's (as transpiled by
    // the bundler): built when the module is evaluated, i.e. for every workflow execution.
    const eager =
      /(?:^|\*\/ )(?:export )?const (\w+) = (?:zod__WEBPACK_IMPORTED_MODULE_\d+__\.|\(0,_primitives__WEBPACK_IMPORTED_MODULE_\d+__\.(?:oneOf|text|record|count|identifier)\))/;
    const built = payloads.split('\n').flatMap((line) => eager.exec(line)?.[1] ?? []);
    expect(built).toEqual([]);
    expect(payloads).toMatch(/const DECISION_PAYLOAD_SCHEMAS = \(0,_lazy__WEBPACK_IMPORTED_MODULE_\d+__\.lazyRecord\)/);
  }, 60_000);
});
