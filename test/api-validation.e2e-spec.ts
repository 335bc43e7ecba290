import { randomUUID } from 'crypto';
import * as fc from 'fast-check';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Response } from 'supertest';
import { requestWorkflowId } from '@app/contracts';
import {
  ACCOUNTS,
  Actor,
  activity,
  actors,
  deliveredReport,
  kenyanRequest,
  requestInDelivery,
  unique,
  waitFor,
} from './api-fixtures';
import { TestStack, startStack } from './support/test-stack';

jest.setTimeout(150_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

interface MatrixRoute {
  method: string;
  path: string;
  access: 'public' | 'static' | string[];
}
const matrix = JSON.parse(readFileSync(path.join(__dirname, 'authorization-matrix.json'), 'utf8')) as {
  routes: MatrixRoute[];
};

/** Routes that take no input at all (no body, query or path parameter): nothing to validate. */
const NO_INPUT = new Set([
  'GET /health',
  'GET /api/v1',
  'GET /api/v1/reports',
  'GET /api/v1/admin/stuck-requests',
  'POST /api/v1/notifications/read-all',
  'GET /api/v1/me/notification-preferences',
  'GET /api/v1/webhooks',
  'GET /api/v1/me',
  'GET /api/v1/reference-data',
  // The session routes read only the refresh cookie and the CSRF header (test/api-sessions.e2e-spec.ts).
  'POST /api/v1/auth/session/refresh',
  'DELETE /api/v1/auth/session',
]);

/** A response that says nothing about the server's insides. */
function expectNoLeak(res: Response): void {
  const text = res.text ?? '';
  expect(text).not.toMatch(
    /\n\s+at |node_modules|QueryFailedError|TypeORM|SELECT |INSERT |UPDATE |syntax error|\.ts:\d+/,
  );
}

function expectProblem(res: Response, status: number, field?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(typeof res.body.title).toBe('string');
  if (field) expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
  expectNoLeak(res);
}

describe('API validation: every endpoint refuses bad input as problem+json naming the field', () => {
  let stack: TestStack;
  let a: ReturnType<typeof actors>;
  let inReview: string;
  let inPlanning: string;
  let inDelivery: string;

  beforeAll(async () => {
    stack = await startStack('api-validation');
    a = actors(stack);
    inReview = (await a.kenya.submit()).body.reference;
    inPlanning = (await a.kenya.submit()).body.reference;
    await a.cted.decide(inPlanning, 'refer-needs', {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB' }],
    });
    await a.unodc.decide(inPlanning, 'propose-plan', { activities: [activity('p1')] });
    inDelivery = await requestInDelivery(stack, [activity('d1')]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  type Case = {
    route: string;
    as: keyof ReturnType<typeof actors> | 'anonymous';
    url: () => string;
    body?: unknown;
    headers?: Record<string, string>;
    status: 400 | 404 | 422;
    field: string;
  };
  const r = (ref: () => string, tail: string) => () => `/api/v1/requests/${ref()}${tail}`;
  const review = () => inReview;
  const planning = () => inPlanning;
  const delivery = () => inDelivery;
  const CASES: Case[] = [
    {
      route: 'POST /api/v1/auth/token',
      as: 'anonymous',
      url: () => '/api/v1/auth/token',
      body: { email: 'not-an-email', password: 'x' },
      status: 400,
      field: 'email',
    },
    {
      route: 'POST /api/v1/auth/token',
      as: 'anonymous',
      url: () => '/api/v1/auth/token',
      body: { email: ACCOUNTS.kenya },
      status: 400,
      field: 'password',
    },
    {
      route: 'POST /api/v1/requests',
      as: 'kenya',
      url: () => '/api/v1/requests',
      body: { ...kenyanRequest(), needs: [] },
      headers: { 'Idempotency-Key': randomUUID() },
      status: 400,
      field: 'needs',
    },
    {
      route: 'POST /api/v1/requests',
      as: 'kenya',
      url: () => '/api/v1/requests',
      body: { ...kenyanRequest(), needs: [{ thematicArea: 'astrology', description: 'Stars', modalities: [] }] },
      headers: { 'Idempotency-Key': randomUUID() },
      status: 400,
      field: 'needs[0].thematicArea',
    },
    {
      route: 'POST /api/v1/requests',
      as: 'kenya',
      url: () => '/api/v1/requests',
      body: kenyanRequest(),
      status: 400,
      field: 'Idempotency-Key',
    },
    {
      route: 'POST /api/v1/requests',
      as: 'cted',
      url: () => '/api/v1/requests',
      body: {
        ...kenyanRequest(),
        memberState: 'XXX',
        consent: { grantedBy: 'Mission', grantedAt: '2026-10-02', scope: 'All needs' },
      },
      headers: { 'Idempotency-Key': randomUUID() },
      status: 422,
      field: 'memberState',
    },
    {
      route: 'POST /api/v1/requests',
      as: 'cted',
      url: () => '/api/v1/requests',
      body: { ...kenyanRequest(), memberState: 'KEN' },
      headers: { 'Idempotency-Key': randomUUID() },
      status: 422,
      field: 'consent',
    },
    {
      route: 'GET /api/v1/requests',
      as: 'cted',
      url: () => '/api/v1/requests?stage=limbo',
      status: 400,
      field: 'stage',
    },
    {
      route: 'GET /api/v1/requests',
      as: 'cted',
      url: () => '/api/v1/requests?limit=1000',
      status: 400,
      field: 'limit',
    },
    {
      route: 'GET /api/v1/requests',
      as: 'cted',
      url: () => '/api/v1/requests?cursor=garbage',
      status: 422,
      field: 'cursor',
    },
    {
      route: 'GET /api/v1/requests/{reference}',
      as: 'cted',
      url: () => '/api/v1/requests/not%20a%20reference',
      status: 404,
      field: 'reference',
    },
    {
      route: 'GET /api/v1/requests/{reference}/referrals',
      as: 'cted',
      url: () => '/api/v1/requests/bad$ref/referrals',
      status: 404,
      field: 'reference',
    },
    {
      route: 'GET /api/v1/requests/{reference}/work-plan',
      as: 'cted',
      url: () => '/api/v1/requests/bad$ref/work-plan',
      status: 404,
      field: 'reference',
    },
    {
      route: 'GET /api/v1/requests/{reference}/evaluation',
      as: 'cted',
      url: () => '/api/v1/requests/bad$ref/evaluation',
      status: 404,
      field: 'reference',
    },
    {
      route: 'GET /api/v1/requests/{reference}/activities',
      as: 'cted',
      url: () => `/api/v1/requests/${'X'.repeat(41)}/activities`,
      status: 404,
      field: 'reference',
    },
    // Decisions: the body shape is { decisionId?, ...fields }.
    {
      route: 'POST /api/v1/requests/{reference}/actions/request-information',
      as: 'cted',
      url: r(review, '/actions/request-information'),
      body: { questions: [] },
      status: 400,
      field: 'questions',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/request-information',
      as: 'cted',
      url: r(review, '/actions/request-information'),
      body: { questions: ['   '] },
      status: 400,
      field: 'questions[0]',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/request-information',
      as: 'cted',
      url: r(review, '/actions/request-information'),
      body: { decisionId: 'has spaces', questions: ['Why?'] },
      status: 400,
      field: 'decisionId',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/request-information',
      as: 'cted',
      url: r(review, '/actions/request-information'),
      body: { questions: ['Why?'] },
      headers: { 'Idempotency-Key': 'short' },
      status: 400,
      field: 'Idempotency-Key',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/provide-information',
      as: 'kenya',
      url: r(review, '/actions/provide-information'),
      body: { answer: 42 },
      status: 400,
      field: 'answer',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/refer-needs',
      as: 'cted',
      url: r(review, '/actions/refer-needs'),
      body: { referrals: [{ needIds: ['need-1'], provider: { kind: 'external' }, rationale: 'x' }] },
      status: 400,
      field: 'referrals[0].provider.name',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/refer-needs',
      as: 'cted',
      url: r(review, '/actions/refer-needs'),
      body: { referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb', name: 'UNODC' }, rationale: 'x' }] },
      status: 400,
      field: 'referrals[0].provider.name',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/refer-needs',
      as: 'cted',
      url: r(review, '/actions/refer-needs'),
      body: { referrals: [{ needIds: ['need-1', 'need-9'], provider: { kind: 'unodc_tpb' }, rationale: 'x' }] },
      status: 422,
      field: 'referrals[0].needIds',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/refer-needs',
      as: 'cted',
      url: r(review, '/actions/refer-needs'),
      body: { referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'x' }] },
      status: 422,
      field: 'referrals',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/decline',
      as: 'cted',
      url: r(review, '/actions/decline'),
      body: { reason: 'x'.repeat(4001) },
      status: 400,
      field: 'reason',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/decline',
      as: 'cted',
      url: r(review, '/actions/decline'),
      body: { payload: { reason: 'old body shape' } },
      status: 400,
      field: 'payload',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/claim',
      as: 'cted',
      url: r(review, '/actions/claim'),
      body: { assignee: 'me' },
      status: 400,
      field: 'assignee',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/assign',
      as: 'ctedSupervisor',
      url: r(review, '/actions/assign'),
      body: { assigneeId: 'cted.officer2@ctap.local' },
      status: 400,
      field: 'assigneeId',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/assign',
      as: 'ctedSupervisor',
      url: r(review, '/actions/assign'),
      body: { assigneeId: '5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41' },
      status: 422,
      field: 'assigneeId',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/unassign',
      as: 'cted',
      url: r(review, '/actions/unassign'),
      body: { decisionId: 'has spaces' },
      status: 400,
      field: 'decisionId',
    },
    {
      route: 'GET /api/v1/requests/{reference}/assignable-users',
      as: 'ctedSupervisor',
      url: () => '/api/v1/requests/bad$ref/assignable-users',
      status: 404,
      field: 'reference',
    },
    {
      route: 'GET /api/v1/work-queue',
      as: 'cted',
      url: () => '/api/v1/work-queue?assignee=someone',
      status: 400,
      field: 'assignee',
    },
    {
      route: 'GET /api/v1/work-queue/counts',
      as: 'cted',
      url: () => '/api/v1/work-queue/counts?overdue=maybe',
      status: 400,
      field: 'overdue',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/record-referral-outcome',
      as: 'cted',
      url: r(review, '/actions/record-referral-outcome'),
      body: { referralId: 'ref-1', delivered: 'yes', notes: 'n' },
      status: 400,
      field: 'delivered',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/propose-plan',
      as: 'unodc',
      url: r(planning, '/actions/propose-plan'),
      body: { activities: [{ ...activity('p2'), startDate: '2027-02-30' }] },
      status: 400,
      field: 'activities[0].startDate',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/propose-plan',
      as: 'unodc',
      url: r(planning, '/actions/propose-plan'),
      body: { activities: [{ ...activity('bad key/x') }] },
      status: 400,
      field: 'activities[0].key',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/propose-plan',
      as: 'unodc',
      url: r(planning, '/actions/propose-plan'),
      body: { activities: [activity('p2', { thematicArea: 'cbrn_terrorism' })] },
      status: 422,
      field: 'activities[0].thematicArea',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/propose-plan',
      as: 'unodc',
      url: r(planning, '/actions/propose-plan'),
      body: { activities: [activity('p2', { participatingStates: ['UGA'] })] },
      status: 422,
      field: 'activities[0].participatingStates',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/accept-plan',
      as: 'kenya',
      url: r(planning, '/actions/accept-plan'),
      body: { planVersion: '1' },
      status: 400,
      field: 'planVersion',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/accept-plan',
      as: 'kenya',
      url: r(planning, '/actions/accept-plan'),
      body: { planVersion: 7 },
      status: 422,
      field: 'planVersion',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/request-plan-revision',
      as: 'kenya',
      url: r(planning, '/actions/request-plan-revision'),
      body: { planVersion: 1 },
      status: 400,
      field: 'comments',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/record-cted-consultation',
      as: 'unodc',
      url: r(planning, '/actions/record-cted-consultation'),
      body: { summary: '' },
      status: 400,
      field: 'summary',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/approve-plan',
      as: 'unodc',
      url: r(planning, '/actions/approve-plan'),
      body: { force: true },
      status: 400,
      field: 'force',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/record-funding',
      as: 'unodc',
      url: r(planning, '/actions/record-funding'),
      body: { pledgeRef: 'P-1', donor: 'Norway', amountUsd: -5 },
      status: 400,
      field: 'amountUsd',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/record-funding',
      as: 'unodc',
      url: r(planning, '/actions/record-funding'),
      body: { pledgeRef: 'P-1', donor: 'Norway', amountUsd: 10.5 },
      status: 400,
      field: 'amountUsd',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/complete-delivery',
      as: 'unodc',
      url: r(delivery, '/actions/complete-delivery'),
      body: { summary: ['not', 'text'] },
      status: 400,
      field: 'summary',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/record-indicators',
      as: 'unodc',
      url: r(delivery, '/actions/record-indicators'),
      body: {},
      status: 400,
      field: 'officialsTrained',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/record-indicators',
      as: 'unodc',
      url: r(delivery, '/actions/record-indicators'),
      body: { laws: [{ title: 'Act', status: 'repealed', date: '2027-01-01' }] },
      status: 400,
      field: 'laws[0].status',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/submit-evaluation',
      as: 'kenya',
      url: r(delivery, '/actions/submit-evaluation'),
      body: { relevance: 6, usefulness: 3, comments: 'ok' },
      status: 400,
      field: 'relevance',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/submit-evaluation',
      as: 'kenya',
      url: r(delivery, '/actions/submit-evaluation'),
      body: {
        relevance: 3,
        usefulness: 3,
        comments: 'ok',
        furtherNeeds: [{ thematicArea: 'x', description: 'Train judges' }],
      },
      status: 400,
      field: 'furtherNeeds[0].thematicArea',
    },
    {
      route: 'POST /api/v1/requests/{reference}/actions/withdraw',
      as: 'kenya',
      url: r(review, '/actions/withdraw'),
      body: {},
      status: 400,
      field: 'reason',
    },
    // Delivery activities.
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/report-delivered',
      as: 'unodc',
      url: r(delivery, '/activities/d1/actions/report-delivered'),
      body: { ...deliveredReport, participantsByState: { KEN: -1 } },
      status: 400,
      field: 'participantsByState.KEN',
    },
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/report-delivered',
      as: 'unodc',
      url: r(delivery, '/activities/d1/actions/report-delivered'),
      body: { ...deliveredReport, officialsTrainedByProfession: { astronaut: 1 } },
      status: 400,
      field: 'officialsTrainedByProfession.astronaut',
    },
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/report-delivered',
      as: 'unodc',
      url: r(delivery, '/activities/d1/actions/report-delivered'),
      body: { ...deliveredReport, participantsByState: { KEN: 5, IDN: 3 } },
      status: 422,
      field: 'participantsByState',
    },
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/report-delivered',
      as: 'unodc',
      url: r(delivery, '/activities/no%20such/actions/report-delivered'),
      body: deliveredReport,
      status: 404,
      field: 'key',
    },
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/reschedule',
      as: 'unodc',
      url: r(delivery, '/activities/d1/actions/reschedule'),
      body: { startDate: '2027-13-01', endDate: '2027-12-02', reason: 'x' },
      status: 400,
      field: 'startDate',
    },
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/reschedule',
      as: 'unodc',
      url: r(delivery, '/activities/d1/actions/reschedule'),
      body: { startDate: '2027-12-03', endDate: '2027-12-02', reason: 'x' },
      status: 400,
      field: 'endDate',
    },
    {
      route: 'POST /api/v1/requests/{reference}/activities/{key}/actions/cancel',
      as: 'unodc',
      url: r(delivery, '/activities/d1/actions/cancel'),
      body: { reason: null },
      status: 400,
      field: 'reason',
    },
    // Work queue, users, reports.
    {
      route: 'GET /api/v1/work-queue',
      as: 'cted',
      url: () => '/api/v1/work-queue?limit=0',
      status: 400,
      field: 'limit',
    },
    {
      route: 'GET /api/v1/work-queue',
      as: 'kenya',
      url: () => '/api/v1/work-queue?overdue=maybe',
      status: 400,
      field: 'overdue',
    },
    { route: 'GET /api/v1/users', as: 'admin', url: () => '/api/v1/users?role=king', status: 400, field: 'role' },
    {
      route: 'POST /api/v1/users',
      as: 'admin',
      url: () => '/api/v1/users',
      body: {
        email: `${unique('v')}@ctap.local`,
        displayName: 'No State',
        password: 'Long-Enough-Pass-1',
        role: 'member_state',
      },
      status: 400,
      field: 'memberState',
    },
    {
      route: 'POST /api/v1/users',
      as: 'admin',
      url: () => '/api/v1/users',
      body: {
        email: `${unique('v')}@ctap.local`,
        displayName: 'Officer',
        password: 'Long-Enough-Pass-1',
        role: 'cted_officer',
        memberState: 'KEN',
      },
      status: 400,
      field: 'memberState',
    },
    {
      route: 'POST /api/v1/users',
      as: 'admin',
      url: () => '/api/v1/users',
      body: { email: `${unique('v')}@ctap.local`, displayName: 'Short', password: 'short', role: 'admin' },
      status: 400,
      field: 'password',
    },
    {
      route: 'POST /api/v1/users',
      as: 'admin',
      url: () => '/api/v1/users',
      body: {
        email: `${unique('v')}@ctap.local`,
        displayName: 'Nowhere',
        password: 'Long-Enough-Pass-1',
        role: 'member_state',
        memberState: 'ZZZ',
      },
      status: 422,
      field: 'memberState',
    },
    {
      route: 'POST /api/v1/users/{id}/actions/deactivate',
      as: 'admin',
      url: () => '/api/v1/users/not-a-uuid/actions/deactivate',
      body: {},
      status: 404,
      field: 'id',
    },
    {
      route: 'GET /api/v1/notifications',
      as: 'cted',
      url: () => '/api/v1/notifications?cursor=bm9wZQ',
      status: 422,
      field: 'cursor',
    },
    {
      route: 'POST /api/v1/notifications/{id}/read',
      as: 'cted',
      url: () => '/api/v1/notifications/abc/read',
      body: {},
      status: 404,
      field: 'id',
    },
    {
      route: 'PUT /api/v1/me/notification-preferences',
      as: 'kenya',
      url: () => '/api/v1/me/notification-preferences',
      body: { preferences: [{ kind: 'gossip', mode: 'immediate' }] },
      status: 400,
      field: 'preferences[0].kind',
    },
    { route: 'GET /api/v1/events', as: 'cted', url: () => '/api/v1/events?after=bm9wZQ', status: 422, field: 'after' },
    {
      route: 'POST /api/v1/webhooks',
      as: 'admin',
      url: () => '/api/v1/webhooks',
      body: { url: 'ftp://example.org/hook', eventTypes: ['*'] },
      status: 400,
      field: 'url',
    },
    { route: 'GET /api/v1/webhooks/{id}', as: 'admin', url: () => '/api/v1/webhooks/nope', status: 404, field: 'id' },
    {
      route: 'PATCH /api/v1/webhooks/{id}',
      as: 'admin',
      url: () => `/api/v1/webhooks/${randomUUID()}`,
      body: { eventTypes: ['not_an_event'] },
      status: 400,
      field: 'eventTypes[0]',
    },
    {
      route: 'DELETE /api/v1/webhooks/{id}',
      as: 'admin',
      url: () => '/api/v1/webhooks/nope',
      status: 404,
      field: 'id',
    },
    {
      route: 'GET /api/v1/webhooks/{id}/deliveries',
      as: 'admin',
      url: () => `/api/v1/webhooks/${randomUUID()}/deliveries?limit=0`,
      status: 400,
      field: 'limit',
    },
    {
      route: 'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
      as: 'admin',
      url: () => `/api/v1/webhooks/${randomUUID()}/deliveries/x1/replay`,
      body: {},
      status: 404,
      field: 'deliveryId',
    },
    ...[
      'states-assisted',
      'activities-by-modality',
      'participants',
      'outcomes',
      'referral-funnel',
      'contributions',
      'stage-times',
      'deadlines-missed',
      'open-requests',
    ].map((name): Case => ({
      route: `GET /api/v1/reports/${name}`,
      as: 'cted',
      url: () => `/api/v1/reports/${name}?from=2031-02-30`,
      status: 400,
      field: 'from',
    })),
    {
      route: 'POST /api/v1/auth/session',
      as: 'anonymous',
      url: () => '/api/v1/auth/session',
      body: { email: 'not-an-address', password: 'x' },
      status: 400,
      field: 'email',
    },
    {
      route: 'PATCH /api/v1/me',
      as: 'kenya',
      url: () => '/api/v1/me',
      body: { preferredLanguage: 'de' },
      status: 400,
      field: 'preferredLanguage',
    },
    {
      route: 'PATCH /api/v1/users/{id}',
      as: 'admin',
      url: () => '/api/v1/users/5b0f1d9e-8a53-4c1e-9f0a-2d8b7c6e5f41',
      body: { role: 'member_state' },
      status: 400,
      field: 'memberState',
    },
  ];

  async function send(c: Case): Promise<Response> {
    const [method] = c.route.split(' ');
    let req = stack.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](c.url());
    if (c.as !== 'anonymous')
      req = req.set('Authorization', `Bearer ${await stack.tokenFor(ACCOUNTS[c.as === 'kenya' ? 'kenya' : c.as])}`);
    for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
    return c.body !== undefined ? req.send(c.body as object) : req;
  }

  it('has a validation case for every route that takes input', () => {
    const covered = new Set(CASES.map((c) => c.route));
    const needed = matrix.routes
      .filter((x) => x.access !== 'static')
      .map((x) => `${x.method} ${x.path}`)
      .filter((id) => !NO_INPUT.has(id));
    expect(needed.filter((id) => !covered.has(id))).toEqual([]);
    expect([...covered].filter((id) => !needed.includes(id))).toEqual([]);
  });

  it.each(CASES.map((c) => [`${c.route} -> ${c.status} naming ${c.field}`, c] as const))('%s', async (_name, c) => {
    expectProblem(await send(c), c.status, c.field);
  });

  it('left the requests used above untouched by the refused calls', async () => {
    const review = (await a.kenya.get(`/api/v1/requests/${inReview}`)).body;
    expect(review.stage).toBe('cted_review');
    expect(review.timeline.map((e: { type: string }) => e.type)).toEqual(['submitted']);
    const planning = (await a.kenya.get(`/api/v1/requests/${inPlanning}/work-plan`)).body;
    expect(planning.plan).toMatchObject({ version: 1, status: 'proposed' });
    const acts = (await a.unodc.get(`/api/v1/requests/${inDelivery}/activities`)).body.items;
    expect(acts).toEqual([expect.objectContaining({ key: 'd1', status: 'scheduled', reschedules: 0 })]);
  });

  it('50 concurrent submissions with 10 Idempotency-Keys make exactly 10 requests and 10 workflows', async () => {
    const count = async () =>
      stack.temporal.workflow.count(`TaskQueue = "${stack.taskQueue}" AND WorkflowType = "assistanceRequestWorkflow"`);
    const before = (await count()).count;
    const marker = unique('burst');
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const calls = keys.flatMap((key, i) =>
      Array.from({ length: 5 }, () => ({ key, body: kenyanRequest(`${marker} #${i}`) })),
    );
    const results = await Promise.all(calls.map(({ key, body }) => a.kenya.submit(body, key)));

    expect(results.map((x) => x.status)).toEqual(calls.map(() => 201));
    const byKey = new Map<string, Set<string>>();
    results.forEach((res, i) =>
      byKey.set(calls[i].key, (byKey.get(calls[i].key) ?? new Set()).add(res.body.reference)),
    );
    expect([...byKey.values()].map((refs) => refs.size)).toEqual(keys.map(() => 1));
    const references = [...new Set(results.map((x) => x.body.reference as string))];
    expect(references).toHaveLength(10);
    expect(results.filter((x) => x.headers['idempotent-replayed'] === 'true')).toHaveLength(40);

    const [{ n }] = await stack.ds.query('SELECT count(*)::int AS n FROM assistance_requests WHERE title LIKE $1', [
      `${marker} #%`,
    ]);
    expect(n).toBe(10);
    for (const ref of references) {
      const description = await stack.temporal.workflow.getHandle(requestWorkflowId(ref)).describe();
      expect(description.status.name).toBe('RUNNING');
    }
    // Visibility is eventually consistent: wait for the new workflows, then make sure no more appear.
    await waitFor('10 new workflows in visibility', async () => (await count()).count - before >= 10);
    await new Promise((res) => setTimeout(res, 1000));
    expect((await count()).count - before).toBe(10);
  });

  it('refuses the same Idempotency-Key with another body (422) and keeps keys per user', async () => {
    const key = randomUUID();
    const body = kenyanRequest();
    const first = await a.kenya.submit(body, key);
    expect(first.status).toBe(201);
    const replay = await a.kenya.submit(body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.reference).toBe(first.body.reference);
    const reused = await a.kenya.submit({ ...body, title: `${body.title} (changed)` }, key);
    expectProblem(reused, 422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Another Kenyan focal point reusing the same key and body gets a request of its own.
    const email = `${unique('focal2')}@ctap.local`;
    const password = 'Second-Focal-Point-2026!';
    expect(
      (
        await a.admin.post('/api/v1/users', {
          email,
          displayName: 'Kenya deputy focal point',
          password,
          role: 'member_state',
          memberState: 'KEN',
        })
      ).status,
    ).toBe(201);
    const token = (await stack.http.post('/api/v1/auth/token').send({ email, password }).expect(200)).body.accessToken;
    const other = await stack.http
      .post('/api/v1/requests')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', key)
      .send(body);
    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.reference).not.toBe(first.body.reference);
    expect(other.body.memberState).toBe('KEN');
  });

  it('answers random bodies and queries with 2xx or 4xx problem+json, never 5xx', async () => {
    const who: Record<string, Actor> = {
      member_state: a.kenya,
      cted_officer: a.cted,
      unodc_manager: a.unodc,
      admin: a.admin,
    };
    const routes = matrix.routes.filter((x) => Array.isArray(x.access) || x.path === '/api/v1/auth/token');
    const fill = (p: string) => p.replace('{reference}', inReview).replace('{key}', 'd1').replace('{id}', randomUUID());
    const anyJson = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom(
          'questions',
          'answer',
          'referrals',
          'activities',
          'planVersion',
          'decisionId',
          'reason',
          'needs',
          'title',
          'email',
          'role',
          '__proto__',
          'constructor',
        ),
        fc.jsonValue(),
      ),
    );
    let requests = 0;
    let posts = 0;
    let refusedPosts = 0;
    for (const route of routes) {
      const actor = Array.isArray(route.access) ? who[route.access[0]] : undefined;
      const token = actor ? await stack.tokenFor(actor.email) : undefined;
      await fc.assert(
        fc.asyncProperty(
          anyJson,
          fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
          async (body, query) => {
            const url = `${fill(route.path)}?${new URLSearchParams(query).toString()}`;
            let req = route.method === 'POST' ? stack.http.post(url) : stack.http.get(url);
            if (token) req = req.set('Authorization', `Bearer ${token}`);
            if (route.path === '/api/v1/requests') req = req.set('Idempotency-Key', randomUUID());
            const res =
              route.method === 'POST'
                ? await req.set('Content-Type', 'application/json').send(JSON.stringify(body))
                : await req;
            requests++;
            if (route.method === 'POST') posts++;
            if (res.status >= 500)
              throw new Error(
                `${route.method} ${route.path} answered ${res.status} to ${JSON.stringify(body)}: ${res.text}`,
              );
            if (res.status >= 400) {
              if (route.method === 'POST') refusedPosts++;
              expectProblem(res, res.status);
            }
          },
        ),
        { numRuns: 25 },
      );
    }
    expect(requests).toBe(routes.length * 25);
    // A random body is almost never a valid one: nearly every POST must have been refused.
    expect(refusedPosts).toBeGreaterThan(posts * 0.9);
  });
});
