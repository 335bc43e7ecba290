import * as http from 'http';
import type { AddressInfo } from 'net';
import { readFileSync } from 'fs';
import * as path from 'path';
import { ACCOUNTS } from './api-fixtures';
import { TestStack, startStack } from './support/test-stack';

jest.setTimeout(60_000);
// This file checks the default token rate limit (10 per minute per IP): leave it unset.
delete process.env.AUTH_RATE_LIMIT_PER_MINUTE;

type Json = Record<string, any>;
const matrix = JSON.parse(readFileSync(path.join(__dirname, 'authorization-matrix.json'), 'utf8')) as {
  routes: { method: string; path: string; access: unknown }[];
};

/** One HTTP call from a chosen loopback source address, so the rate limiter sees a distinct client IP. */
function callFrom(
  port: number,
  localAddress: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: Json }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method,
        path: urlPath,
        headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('API hygiene: limits, headers, error bodies and the OpenAPI document', () => {
  let stack: TestStack;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    stack = await startStack('api-hygiene', { worker: false });
    server = http.createServer(stack.api.getHttpAdapter().getInstance());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await stack?.close();
  });

  it('refuses a body over 256 kB with 413 problem+json', async () => {
    const token = await stack.tokenFor(ACCOUNTS.cted);
    const big = { reason: 'x'.repeat(300 * 1024) };
    for (const req of [
      stack.http.post('/api/v1/auth/token').send(big),
      stack.http
        .post('/api/v1/requests/CTAP-2026-000001/actions/decline')
        .set('Authorization', `Bearer ${token}`)
        .send(big),
    ]) {
      const res = await req;
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 413,
        title: 'Payload too large',
        detail: 'request body exceeds the size limit',
      });
    }
    // Just under the limit passes the parser (and fails validation instead).
    const under = await stack.http
      .post('/api/v1/requests/CTAP-2026-000001/actions/decline')
      .set('Authorization', `Bearer ${token}`)
      .send({ reason: 'x'.repeat(200 * 1024) });
    expect(under.status).toBe(400);
    expect(under.body.errors[0].field).toBe('reason');
  });

  it('sends security headers on every answer, and no X-Powered-By', async () => {
    for (const res of [
      await stack.http.get('/health'),
      await stack.http.get('/api/v1/requests'),
      await stack.http.get('/api/docs/'),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers malformed JSON, unknown routes and bad tokens with problem+json and nothing internal', async () => {
    const malformed = await stack.http
      .post('/api/v1/auth/token')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c", ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400, detail: 'request body is not valid JSON' });
    const unknown = await stack.http.get('/api/v1/no-such-route');
    expect(unknown.status).toBe(404);
    const forged = await stack.http
      .get('/api/v1/requests')
      .set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    expect(forged.status).toBe(401);
    for (const res of [malformed, unknown, forged]) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.text).not.toMatch(/\n\s+at |node_modules|SyntaxError|SELECT |QueryFailedError|\.ts:\d+/);
    }
  });

  it('serves Swagger UI at /api/docs and the OpenAPI document at /api/openapi.json', async () => {
    const ui = await stack.http.get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.text).toMatch(/swagger-ui/);
    const init = await stack.http.get('/api/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/CTAP API/);
  });

  it('documents every operation: summary, access, bearer security, schemas with examples, problem+json errors', async () => {
    const doc: Json = (await stack.http.get('/api/openapi.json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    const schemas: Json = doc.components.schemas;
    const problems: string[] = [];

    // Every property of a request body (recursively through $refs) carries an example.
    const checkExamples = (name: string, seen = new Set<string>()) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const [prop, def] of Object.entries<Json>(schemas[name]?.properties ?? {})) {
        const ref: string | undefined = def.$ref ?? def.items?.$ref ?? def.allOf?.[0]?.$ref;
        if (ref) checkExamples(ref.split('/').pop()!, seen);
        else if (def.example === undefined) problems.push(`${name}.${prop} has no example`);
      }
    };

    const documented = new Set<string>();
    for (const [p, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        const id = `${method.toUpperCase()} ${p}`;
        documented.add(id);
        if (!op.summary) problems.push(`${id}: no summary`);
        const access = op['x-ctap-access'];
        if (!access) problems.push(`${id}: no x-ctap-access`);
        if (access?.roles && !op.security?.some((s: Json) => 'bearer' in s)) problems.push(`${id}: no bearer security`);
        if (access?.public && op.security?.length) problems.push(`${id}: public but requires security`);
        for (const [status, res] of Object.entries<Json>(op.responses ?? {})) {
          // /health answers 503 with its checks (a health body, not a problem) by design.
          if (id === 'GET /health' && status === '503') continue;
          if (
            Number(status) >= 400 &&
            res.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/ProblemDetailsDto'
          ) {
            problems.push(`${id}: ${status} is not documented as problem+json`);
          }
        }
        const statuses = Object.keys(op.responses ?? {});
        for (const s of access?.roles ? ['401', '403', '429'] : ['429'])
          if (!statuses.includes(s)) problems.push(`${id}: ${s} not documented`);
        // Reports (ReportsModule, another team) document their rows in docs/REPORTS.md, not as schemas.
        if (!p.startsWith('/api/v1/reports')) {
          const ok = statuses.find((s) => /^2\d\d$/.test(s));
          // 204 No Content (sign-out) has no body to describe.
          if (!ok || (ok !== '204' && !op.responses[ok].content?.['application/json']?.schema))
            problems.push(`${id}: no 2xx response schema`);
        }
        const body = op.requestBody?.content?.['application/json']?.schema?.$ref;
        // Commands that take no input: deactivate, mark read, replay, the session refresh (cookie only).
        if (method === 'post' && !body && !/\/(deactivate|read|read-all|replay|session\/refresh)$/.test(p))
          problems.push(`${id}: no request body schema`);
        if (body) checkExamples(body.split('/').pop());
        if (method === 'post' && p.includes('/actions/') && !statuses.includes('409'))
          problems.push(`${id}: refusals (409) not documented`);
      }
    }
    expect(problems).toEqual([]);
    // Every Nest route of the authorization matrix is in the document.
    const nestRoutes = matrix.routes.filter((r) => r.access !== 'static').map((r) => `${r.method} ${r.path}`);
    expect(nestRoutes.filter((id) => !documented.has(id))).toEqual([]);
    expect(schemas.ProblemDetailsDto.properties).toEqual(
      expect.objectContaining({
        type: expect.any(Object),
        title: expect.any(Object),
        status: expect.any(Object),
        errors: expect.any(Object),
      }),
    );
  });

  it('limits the token endpoint to 10 calls a minute per client IP, and only that endpoint', async () => {
    const attempt = (ip: string) =>
      callFrom(port, ip, 'POST', '/api/v1/auth/token', { email: ACCOUNTS.kenya, password: 'wrong-password' });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof attempt>> | undefined;
    for (let i = 0; i < 12; i++) {
      const res = await attempt('127.0.0.7');
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect(limited!.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited!.json).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not affected, nor are other routes for the limited one.
    expect((await attempt('127.0.0.8')).status).toBe(401);
    expect((await callFrom(port, '127.0.0.7', 'GET', '/health')).status).toBe(200);
    expect((await callFrom(port, '127.0.0.7', 'GET', '/api/v1/requests')).status).toBe(401);
  });
});
