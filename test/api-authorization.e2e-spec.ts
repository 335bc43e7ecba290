import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Response } from 'supertest';
import { ACCESS_KEY, AccessPolicy } from '../apps/api/src/auth/access.decorators';
import { DEV_ACCOUNTS } from '../seeds/src/dev-accounts';
import { ACCOUNTS, actors, deliveredReport, kenyanRequest, requestInDelivery, unique } from './api-fixtures';
import { TestStack, startStack } from './support/test-stack';

jest.setTimeout(120_000);
// The walk obtains a token per caller and calls the token route once per caller.
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

type Caller =
  | 'anonymous'
  | 'member_state_own'
  | 'member_state_other'
  | 'cted_officer'
  | 'unodc_manager'
  | 'admin'
  | 'cted_supervisor'
  | 'unodc_supervisor';
type StatusClass = '2xx' | 'allowed' | '401' | '403' | '404';
interface MatrixRoute {
  method: string;
  path: string;
  access: 'public' | 'static' | string[];
  expect: Record<Caller, StatusClass>;
}
interface Matrix {
  roles: Caller[];
  routes: MatrixRoute[];
}

const matrix = JSON.parse(readFileSync(path.join(__dirname, 'authorization-matrix.json'), 'utf8')) as Matrix;
const routeId = (method: string, p: string) => `${method.toUpperCase()} ${p}`;
/** Express/Nest path syntax to the matrix's OpenAPI syntax: /requests/:reference -> /requests/{reference}. */
const openApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');
/** A Nest controller path plus a handler path, as Nest registers it: one leading slash, no trailing one. */
const joinNestPath = (base: string, sub: string) => `/${[base, sub].join('/').split('/').filter(Boolean).join('/')}`;

const CALLER_ACCOUNT: Record<Exclude<Caller, 'anonymous'>, string> = {
  member_state_own: ACCOUNTS.kenya,
  member_state_other: ACCOUNTS.indonesia,
  cted_officer: ACCOUNTS.cted,
  unodc_manager: ACCOUNTS.unodc,
  admin: ACCOUNTS.admin,
  cted_supervisor: ACCOUNTS.ctedSupervisor,
  unodc_supervisor: ACCOUNTS.unodcSupervisor,
};
const CALLER_ROLE: Record<Exclude<Caller, 'anonymous'>, string> = {
  member_state_own: 'member_state',
  member_state_other: 'member_state',
  cted_officer: 'cted_officer',
  unodc_manager: 'unodc_manager',
  admin: 'admin',
  cted_supervisor: 'cted_supervisor',
  unodc_supervisor: 'unodc_supervisor',
};

function classify(res: Response, expected: StatusClass): boolean {
  const s = res.status;
  switch (expected) {
    case '2xx':
      return s >= 200 && s < 300;
    case 'allowed':
      return (s >= 200 && s < 300) || ((s === 409 || s === 422) && res.body?.code !== 'ROLE_NOT_ALLOWED');
    default:
      return s === Number(expected) && /application\/problem\+json/.test(res.headers['content-type'] ?? '');
  }
}

describe('API authorization: every route x every caller, as data (test/authorization-matrix.json)', () => {
  let stack: TestStack;
  let reference: string;
  let throwawayUserId: string;
  let notificationId: string;
  let webhookId: string;
  let doomedWebhookId: string;
  let deliveryId: string;
  let unodcSupervisorId: string;

  beforeAll(async () => {
    stack = await startStack('api-authz');
    const admin = actors(stack).admin;
    // A subscription (to a closed port) made before the target request, so it has deliveries to log and replay.
    const hook = await admin.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/ctap', eventTypes: ['submitted'] });
    expect(hook.status).toBe(201);
    webhookId = hook.body.id;
    doomedWebhookId = (await admin.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', eventTypes: ['closed'] }))
      .body.id;
    // Target: a Kenyan request in delivery with two activities, so every sub-resource exists.
    reference = await requestInDelivery(stack);
    const [n] = await stack.ds.query(
      `SELECT n.id::text AS id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.reference = $2 LIMIT 1`,
      [ACCOUNTS.kenya, reference],
    );
    notificationId = n.id;
    const [d] = await stack.ds.query(
      'SELECT id::text AS id FROM webhook_deliveries WHERE subscription_id = $1 LIMIT 1',
      [webhookId],
    );
    deliveryId = d.id;
    const created = await actors(stack).admin.post('/api/v1/users', {
      email: `${unique('throwaway')}@ctap.local`,
      displayName: 'Throwaway account',
      password: 'Throwaway-Pass-2026!',
      role: 'cted_officer',
    });
    expect(created.status).toBe(201);
    throwawayUserId = created.body.id;
    [{ id: unodcSupervisorId }] = await stack.ds.query('SELECT id::text AS id FROM users WHERE email = $1', [
      ACCOUNTS.unodcSupervisor,
    ]);
  });
  afterAll(async () => {
    // Other test files share the database: no subscription of this walk may outlive it.
    await stack?.ds.query(`UPDATE webhook_subscriptions SET active = false WHERE url LIKE 'http://127.0.0.1:9/%'`);
    await stack?.close();
  });

  /** Path parameters and a valid body per route, so the answer depends on the caller only. */
  function sample(
    route: MatrixRoute,
    caller: Caller,
  ): { url: string; body?: unknown; headers?: Record<string, string>; query?: string } {
    const params: Record<string, string> = { reference, id: throwawayUserId, key: 'a1', deliveryId };
    if (route.path.startsWith('/api/v1/notifications/')) params.id = notificationId;
    if (route.path.startsWith('/api/v1/webhooks/')) params.id = route.method === 'DELETE' ? doomedWebhookId : webhookId;
    const action = route.path.split('/').pop()!;
    if (route.path.includes('/activities/{key}/')) params.key = action === 'report-delivered' ? 'a1' : 'a2';
    const url = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name]);
    const id = `${route.method} ${route.path}`;
    const bodies: Record<string, () => unknown> = {
      'POST /api/v1/auth/token': () => ({
        email: ACCOUNTS.cted,
        password: DEV_ACCOUNTS.find((a) => a.email === ACCOUNTS.cted)!.password,
      }),
      'POST /api/v1/requests': () =>
        caller === 'cted_officer' || caller === 'cted_supervisor'
          ? {
              ...kenyanRequest(),
              memberState: 'KEN',
              consent: {
                grantedBy: 'Permanent Mission of Kenya, Vienna',
                grantedAt: '2026-10-02',
                scope: 'Needs from the 2026 assessment visit',
              },
            }
          : kenyanRequest(),
      'POST /api/v1/users': () => ({
        email: `${unique('matrix')}@ctap.local`,
        displayName: 'Matrix user',
        password: 'Matrix-User-Pass-2026!',
        role: 'unodc_manager',
      }),
      'POST /api/v1/users/{id}/actions/deactivate': () => ({}),
      'POST /api/v1/notifications/{id}/read': () => ({}),
      'POST /api/v1/notifications/read-all': () => ({}),
      'PUT /api/v1/me/notification-preferences': () => ({ preferences: [{ kind: 'reminder', mode: 'immediate' }] }),
      'POST /api/v1/webhooks': () => ({ url: 'http://127.0.0.1:9/new', eventTypes: ['closed'], active: false }),
      'PATCH /api/v1/webhooks/{id}': () => ({ eventTypes: ['submitted'] }),
      'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay': () => ({}),
      'POST /api/v1/auth/session': () => ({
        email: ACCOUNTS.cted,
        password: DEV_ACCOUNTS.find((a) => a.email === ACCOUNTS.cted)!.password,
      }),
      'POST /api/v1/auth/session/refresh': () => ({}),
      'DELETE /api/v1/auth/session': () => ({}),
      // An empty change: the walk must not leave a language set for the other test files.
      'PATCH /api/v1/me': () => ({}),
      'PATCH /api/v1/users/{id}': () => ({ role: 'cted_officer' }),
    };
    const decisions: Record<string, unknown> = {
      'request-information': { questions: ['Which ministry leads?'] },
      'provide-information': { answer: 'The Ministry of Justice' },
      'refer-needs': {
        referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB' }],
      },
      decline: { reason: 'Duplicate request' },
      'record-referral-outcome': { referralId: 'ref-2', delivered: true, notes: 'IMF delivered' },
      'propose-plan': {
        activities: [
          {
            key: 'x1',
            title: 'Workshop',
            modality: 'national_training_workshop',
            thematicArea: 'legislative_incorporation',
            startDate: '2027-03-01',
            endDate: '2027-03-02',
            place: 'Nairobi',
            participatingStates: ['KEN'],
            partners: [],
            budgetUsd: 1000,
          },
        ],
      },
      'accept-plan': { planVersion: 1 },
      'request-plan-revision': { planVersion: 1, comments: 'Please revise' },
      'record-cted-consultation': { summary: 'CTED consulted' },
      'approve-plan': {},
      'record-funding': { pledgeRef: unique('P'), donor: 'Japan', amountUsd: 1000 },
      'complete-delivery': {},
      'record-indicators': { officialsTrained: 3 },
      'submit-evaluation': { relevance: 4, usefulness: 4, comments: 'Useful' },
      withdraw: { reason: 'Priorities changed' },
      'report-delivered': deliveredReport,
      reschedule: { startDate: '2027-05-01', endDate: '2027-05-02', reason: 'Parliament sits' },
      cancel: { reason: 'Replaced by an online course' },
      // The target is in delivery (UNODC's): the manager claims it, the supervisor reassigns it to
      // themself, then unassigns it; CTED's callers meet ASSIGNMENT_CONFLICT (not their body's).
      claim: {},
      assign: { assigneeId: unodcSupervisorId },
      unassign: {},
    };
    if (route.method !== 'GET') {
      const body = bodies[id]?.() ?? decisions[action];
      if (body === undefined && route.method !== 'DELETE')
        throw new Error(`no sample body for ${id}: add one to the walk`);
      const headers: Record<string, string> = route.path.startsWith('/api/v1/auth/session')
        ? { 'X-CTAP-CSRF': '1' }
        : {};
      if (route.path === '/api/v1/requests') headers['Idempotency-Key'] = randomUUID();
      return { url, body, headers };
    }
    return { url };
  }

  it('answers every route for every caller as the matrix says', async () => {
    const tokens: Partial<Record<Caller, string>> = {};
    for (const caller of Object.keys(CALLER_ACCOUNT) as (keyof typeof CALLER_ACCOUNT)[])
      tokens[caller] = await stack.tokenFor(CALLER_ACCOUNT[caller]);
    // Withdrawal closes the target request: walk it last so every other route meets an open request.
    const routes = [...matrix.routes].sort(
      (a, b) => Number(a.path.endsWith('/withdraw')) - Number(b.path.endsWith('/withdraw')),
    );
    const mismatches: string[] = [];
    let calls = 0;
    for (const route of routes) {
      for (const caller of matrix.roles) {
        const { url, body, headers } = sample(route, caller);
        const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        let req = stack.http[verb](url);
        if (caller !== 'anonymous') req = req.set('Authorization', `Bearer ${tokens[caller]}`);
        for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
        const res = body !== undefined ? await req.send(body as object) : await req;
        calls++;
        const expected = route.expect[caller];
        if (!classify(res, expected))
          mismatches.push(
            `${routeId(route.method, route.path)} as ${caller}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(matrix.routes.length * matrix.roles.length);
  });

  it('lists every registered route, each with an access policy that agrees with the matrix', () => {
    // 1. Every handler Nest registered, with the policy its decorators declare.
    const reflector = new Reflector();
    const scanner = new MetadataScanner();
    const nestRoutes = new Map<string, AccessPolicy | undefined>();
    for (const mod of stack.api.get(ModulesContainer).values()) {
      for (const wrapper of mod.controllers.values()) {
        const ctrl = wrapper.metatype as { prototype: object } & (new (...args: never[]) => unknown);
        if (!ctrl?.prototype) continue;
        const base = [].concat(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '')[0] as string;
        for (const name of scanner.getAllMethodNames(ctrl.prototype)) {
          const handler = (ctrl.prototype as Record<string, unknown>)[name] as () => unknown;
          const sub = Reflect.getMetadata(PATH_METADATA, handler);
          if (sub === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          for (const p of [].concat(sub) as string[]) {
            const full = openApiPath(joinNestPath(base, p));
            nestRoutes.set(
              routeId(method, full),
              reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_KEY, [handler, ctrl]),
            );
          }
        }
      }
    }
    expect(nestRoutes.size).toBeGreaterThan(30);
    const withoutPolicy = [...nestRoutes].filter(([, policy]) => !policy).map(([id]) => id);
    expect(withoutPolicy).toEqual([]);

    // 2. Every route Express serves (Nest's and anything mounted beside it, such as Swagger UI).
    type Layer = { route?: { path: string; methods: Record<string, boolean> } };
    const stackLayers: Layer[] = stack.api.getHttpAdapter().getInstance().router.stack;
    const served = new Set<string>();
    for (const layer of stackLayers) {
      if (!layer.route) continue;
      for (const [m, on] of Object.entries(layer.route.methods))
        if (on && m !== '_all') served.add(routeId(m, openApiPath(layer.route.path)));
    }
    for (const id of nestRoutes.keys()) expect(served).toContain(id);

    // 3. The matrix names exactly the served routes, and its `access` is what the code declares.
    const inMatrix = new Map(matrix.routes.map((r) => [routeId(r.method, r.path), r]));
    expect([...served].filter((id) => !inMatrix.has(id)).sort()).toEqual([]);
    expect([...inMatrix.keys()].filter((id) => !served.has(id)).sort()).toEqual([]);
    const disagreements: string[] = [];
    for (const [id, route] of inMatrix) {
      const policy = nestRoutes.get(id);
      if (route.access === 'static') {
        if (policy !== undefined || nestRoutes.has(id)) disagreements.push(`${id}: marked static but is a Nest route`);
        continue;
      }
      if (route.access === 'public') {
        if (policy?.kind !== 'public')
          disagreements.push(`${id}: matrix says public, code says ${JSON.stringify(policy)}`);
        continue;
      }
      if (policy?.kind !== 'roles' || [...policy.roles].sort().join() !== [...route.access].sort().join()) {
        disagreements.push(`${id}: matrix says ${route.access.join(',')}, code says ${JSON.stringify(policy)}`);
        continue;
      }
      // Expected classes must follow from the roles: refused roles 403, anonymous 401.
      if (route.expect.anonymous !== '401') disagreements.push(`${id}: anonymous must be 401`);
      for (const caller of Object.keys(CALLER_ROLE) as (keyof typeof CALLER_ROLE)[]) {
        const allowed = policy.roles.includes(CALLER_ROLE[caller] as never);
        if (allowed === (route.expect[caller] === '403'))
          disagreements.push(
            `${id}: ${caller} expected ${route.expect[caller]} but the role is ${allowed ? '' : 'not '}allowed`,
          );
      }
    }
    expect(disagreements).toEqual([]);
  });
});
