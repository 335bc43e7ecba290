import type { Server } from 'http';
import type { Duplex } from 'stream';
import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem-details.filter';

/** Deepest JSON nesting a body may have: well beyond any payload, far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser `verify` hook: refuses a body nested deeper than MAX_JSON_DEPTH before it is
 * parsed, by counting brackets outside strings (one pass over the bytes).
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i += 1) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH)
        throw Object.assign(new Error('body nested too deeply'), { status: 400, type: 'entity.too.deep' });
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
}

/** The routes of the OpenAPI document: a path template as a pattern, and the methods it takes. */
export interface RouteTable {
  routes: { pattern: RegExp; methods: Set<string> }[];
}

/** Builds the route table from an OpenAPI document's `paths` (`/requests/{reference}` → one segment). */
export function routeTable(paths: Record<string, object>): RouteTable {
  return {
    routes: Object.entries(paths).map(([path, ops]) => ({
      pattern: new RegExp(
        `^${path
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+')}/?$`,
      ),
      methods: new Set(Object.keys(ops).map((m) => m.toUpperCase())),
    })),
  };
}

/**
 * A method a known path does not take (TRACE anywhere, DELETE on a list, ...) answers 405
 * problem+json with `Allow` listing those it takes; an unknown path is left to the 404 handler.
 * The table is filled once the routes are known (after the OpenAPI document is built).
 */
export function methodNotAllowed(table: RouteTable) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const matching = table.routes.filter((r) => r.pattern.test(req.path));
    if (!matching.length && req.method !== 'TRACE') return next();
    const allowed = new Set(matching.flatMap((r) => [...r.methods]));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.has(req.method)) return next();
    res
      .status(405)
      .set('Allow', [...allowed].sort().join(', '))
      .type('application/problem+json')
      .send(
        JSON.stringify({
          ...problem('METHOD_NOT_ALLOWED', `${req.method} is not supported on this path`),
          instance: req.originalUrl,
        }),
      );
  };
}

/**
 * Errors Node's HTTP parser answers before Express sees the request (headers over the size
 * limit, malformed request lines): written as problem+json too, instead of an empty body.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(
      err.code === 'HPE_HEADER_OVERFLOW'
        ? problem('HEADERS_TOO_LARGE', 'request headers exceed the size limit')
        : problem('MALFORMED_BODY', 'malformed HTTP request'),
    );
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
