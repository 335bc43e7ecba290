import type { NextFunction, Request, Response } from 'express';
import { methodNotAllowed, routeTable } from './http-guards';

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

describe('methodNotAllowed', () => {
  const table = routeTable({
    '/api/v1/requests': { get: {}, post: {} },
    '/api/v1/requests/{reference}': { get: {} },
    '/api/v1/webhooks/{id}': { patch: {}, delete: {} },
  });
  const guard = methodNotAllowed(table);
  const call = (method: string, path: string) => {
    const out = { next: false, status: 0, allow: '' };
    const res = {
      status(s: number) {
        out.status = s;
        return this;
      },
      set(_name: string, value: string) {
        out.allow = value;
        return this;
      },
      type() {
        return this;
      },
      send() {
        return this;
      },
    };
    guard(
      { method, path, originalUrl: path } as Request,
      res as unknown as Response,
      (() => {
        out.next = true;
      }) as NextFunction,
    );
    return out;
  };

  it('lets through a method the path takes (HEAD wherever GET), and any method on an unknown path', () => {
    expect(call('GET', '/api/v1/requests').next).toBe(true);
    expect(call('POST', '/api/v1/requests/').next).toBe(true);
    expect(call('HEAD', '/api/v1/requests/CTAP-2026-000001').next).toBe(true);
    expect(call('DELETE', '/api/v1/webhooks/0b1c').next).toBe(true);
    expect(call('TRACE', '/api/v1/unknown').next).toBe(true);
    expect(call('GET', '/api/v1/requests/CTAP-2026-000001/extra').next).toBe(true);
  });

  it('answers 405 with Allow for a method the known path does not take', () => {
    expect(call('DELETE', '/api/v1/requests')).toEqual({ next: false, status: 405, allow: 'GET, HEAD, POST' });
    expect(call('POST', '/api/v1/requests/CTAP-2026-000001')).toEqual({ next: false, status: 405, allow: 'GET, HEAD' });
    expect(call('GET', '/api/v1/webhooks/0b1c')).toEqual({ next: false, status: 405, allow: 'DELETE, PATCH' });
  });

  it('follows the table when it is filled later (after the OpenAPI document is built)', () => {
    const late = { routes: [] as ReturnType<typeof routeTable>['routes'] };
    const lateGuard = methodNotAllowed(late);
    const run = (method: string) => {
      let through = false;
      const res = { status: () => res, set: () => res, type: () => res, send: () => res };
      lateGuard(
        { method, path: '/x', originalUrl: '/x' } as Request,
        res as unknown as Response,
        (() => {
          through = true;
        }) as NextFunction,
      );
      return through;
    };
    expect(run('DELETE')).toBe(true);
    late.routes = routeTable({ '/x': { get: {} } }).routes;
    expect(run('DELETE')).toBe(false);
    expect(run('GET')).toBe(true);
  });
});
