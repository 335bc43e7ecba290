import { isUtf8 } from 'buffer';
import type { IncomingMessage, Server } from 'http';
import type { Duplex } from 'stream';
import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem-details.filter';

/** Deepest JSON nesting a body may have: well beyond any payload, far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser `verify` hook: refuses a body that is not UTF-8, or nested deeper than
 * MAX_JSON_DEPTH, before it is parsed, by counting brackets outside strings (one pass over the bytes).
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  // JSON is UTF-8 (RFC 8259 §8.1): the decoder would otherwise turn bad bytes into U+FFFD and
  // store them as if the user had typed them.
  if (!isUtf8(buf)) throw Object.assign(new Error('body is not UTF-8'), { status: 400, type: 'entity.invalid.utf8' });
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
 * A method a known path does not take (TRACE, DELETE on a list, ...) answers 405 problem+json
 * with `Allow` listing those it takes; an unknown path is left to the 404 handler, whatever the method.
 * The table is filled once the routes are known (after the OpenAPI document is built).
 */
export function methodNotAllowed(table: RouteTable) {
  // Per method, one pattern matching every path that takes it (HEAD: those taking GET), so a call
  // a route takes, nearly every call, passes after one test instead of one per route.
  let takes: { routes: RouteTable['routes']; byMethod: Map<string, RegExp | null> } | undefined;
  const takenBy = (method: string): RegExp | null => {
    if (takes?.routes !== table.routes) takes = { routes: table.routes, byMethod: new Map() };
    let pattern = takes.byMethod.get(method);
    if (pattern === undefined) {
      const routes = table.routes.filter((r) => r.methods.has(method) || (method === 'HEAD' && r.methods.has('GET')));
      pattern = routes.length ? new RegExp(routes.map((r) => `(?:${r.pattern.source})`).join('|')) : null;
      takes.byMethod.set(method, pattern);
    }
    return pattern;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (takenBy(req.method)?.test(req.path)) return next();
    const matching = table.routes.filter((r) => r.pattern.test(req.path));
    if (!matching.length) return next();
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

/** True when the request carries a body (a length above 0, or chunks). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A body that is not JSON (`text/plain`, a form, no Content-Type) answers 415 problem+json: the
 * JSON parser would skip it and the handler would then report every field as missing.
 */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req) || req.is(['application/json', 'application/*+json'])) return next();
  res
    .status(415)
    .set('Accept-Post', 'application/json')
    .type('application/problem+json')
    .send(
      JSON.stringify({
        ...problem(
          'UNSUPPORTED_MEDIA_TYPE',
          `a request body must be JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'untyped'}`,
        ),
        instance: req.originalUrl,
      }),
    );
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
