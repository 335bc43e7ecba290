import { routeTable } from './http-guards';

describe('route table for 405 answers', () => {
  const table = routeTable({
    '/api/v1/requests': { get: {}, post: {} },
    '/api/v1/requests/{reference}': { get: {} },
    '/api/v1/webhooks/{id}': { get: {}, patch: {}, delete: {} },
  });
  const methodsOf = (path: string) => table.routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]);

  it('matches a template parameter as exactly one path segment', () => {
    expect(methodsOf('/api/v1/requests/CTAP-2026-000001')).toEqual(['GET']);
    expect(methodsOf('/api/v1/requests/CTAP-2026-000001/extra')).toEqual([]);
    expect(methodsOf('/api/v1/webhooks/0b1c')).toEqual(['GET', 'PATCH', 'DELETE']);
  });

  it('matches literal paths exactly, a trailing slash allowed', () => {
    expect(methodsOf('/api/v1/requests/')).toEqual(['GET', 'POST']);
    expect(methodsOf('/api/v1/requestsX')).toEqual([]);
  });
});
