/**
 * One full lifecycle, timed step by step: CTAP over HTTP (submission, 12 decisions and one
 * activity report, as the three roles) and the bare baseline over the Temporal client (a workflow
 * start and 13 Updates).
 */
import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { Pool } from 'undici';
import { Client } from '@temporalio/client';
import { DEV_ACCOUNTS } from '../seeds/src/dev-accounts';
import { BARE_STEPS, bareStepUpdate } from './bare/bare.workflow';

export interface Timings {
  /** Submission (CTAP: POST /requests; bare: workflow start), ms. */
  submitMs: number;
  /** Every decision after it, ms. */
  decisionMs: number[];
}

export class HttpApi {
  readonly pool: Pool;
  private tokens = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    connections = 64,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1 });
  }

  async call(
    method: 'GET' | 'POST',
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any }> {
    const res = await this.pool.request({
      method,
      path,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? JSON.parse(text) : null };
  }

  async token(email: string): Promise<string> {
    if (!this.tokens.has(email)) {
      const account = DEV_ACCOUNTS.find((a) => a.email === email)!;
      const res = await this.call('POST', '/api/v1/auth/token', undefined, { email, password: account.password });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.json)}`);
      this.tokens.set(email, res.json.accessToken);
    }
    return this.tokens.get(email)!;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

/** Retries a refused call a few times (a 503 while an activity is still starting counts as a retry). */
async function expectOk(
  api: HttpApi,
  what: string,
  fn: () => Promise<{ status: number; json: any }>,
  retries: { count: number },
): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    const res = await fn();
    if (res.status < 300) return res.json;
    if (res.status === 503 && attempt < 20) {
      retries.count++;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`);
  }
}

export const ACCOUNTS = {
  cted: 'cted.officer@ctap.local',
  unodc: 'unodc.manager@ctap.local',
  kenya: 'focal.ken@ctap.local',
};

/** A CTAP request from submission to closure over HTTP, as in README's walk-through. */
export async function ctapLifecycle(api: HttpApi, retries: { count: number }): Promise<Timings> {
  const [ken, cted, unodc] = await Promise.all([
    api.token(ACCOUNTS.kenya),
    api.token(ACCOUNTS.cted),
    api.token(ACCOUNTS.unodc),
  ]);
  const [submitted, submitMs] = await timed(() =>
    expectOk(
      api,
      'submit',
      () =>
        api.call(
          'POST',
          '/api/v1/requests',
          ken,
          {
            title: 'Incorporate the universal instruments into national law',
            urgency: 'routine',
            needs: [
              {
                thematicArea: 'legislative_incorporation',
                description: 'Review the draft Prevention of Terrorism Bill',
                modalities: ['national_legislative_drafting_workshop'],
              },
            ],
          },
          { 'idempotency-key': randomUUID() },
        ),
      retries,
    ),
  );
  const ref = submitted.reference as string;
  const act = (token: string, action: string, body: unknown) => () => decide(api, token, ref, action, body, retries);
  const steps: (() => Promise<unknown>)[] = [
    act(cted, 'request-information', { questions: ['Which ministry leads the drafting of the bill?'] }),
    act(ken, 'provide-information', { answer: 'The Office of the Attorney-General leads the drafting.' }),
    act(cted, 'refer-needs', {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads legislative assistance' },
      ],
    }),
    act(unodc, 'propose-plan', {
      activities: [
        {
          key: 'ws1',
          title: 'National legislative drafting workshop',
          modality: 'national_legislative_drafting_workshop',
          thematicArea: 'legislative_incorporation',
          startDate: '2026-03-01',
          endDate: '2026-03-03',
          place: 'Nairobi',
          participatingStates: ['KEN'],
          partners: [],
          budgetUsd: 20000,
        },
      ],
    }),
    act(ken, 'accept-plan', { planVersion: 1 }),
    act(unodc, 'record-cted-consultation', { summary: 'No overlap' }),
    act(unodc, 'record-funding', { pledgeRef: `${ref}-P1`, donor: 'Norway', amountUsd: 20000 }),
    act(unodc, 'approve-plan', {}),
    () =>
      expectOk(
        api,
        'report-delivered',
        () =>
          api.call('POST', `/api/v1/requests/${ref}/activities/ws1/actions/report-delivered`, unodc, {
            deliveredOn: '2026-03-03',
            participantsByState: { KEN: 25 },
            officialsTrainedByProfession: { judge: 10, prosecutor: 12 },
            outputs: ['Revised draft bill'],
          }),
        retries,
      ),
    act(unodc, 'complete-delivery', { summary: 'Delivered' }),
    act(unodc, 'record-indicators', {
      laws: [{ title: 'Prevention of Terrorism (Amendment) Act', status: 'adopted', date: '2026-09-01' }],
      officialsTrained: 22,
    }),
    act(ken, 'submit-evaluation', { relevance: 5, usefulness: 4, comments: 'Useful' }),
  ];
  const decisionMs: number[] = [];
  for (const step of steps) decisionMs.push((await timed(step))[1]);
  return { submitMs, decisionMs };
}

/** Submits a request and leaves it open (P6); answers its reference. */
export async function ctapOpen(api: HttpApi, retries: { count: number }): Promise<string> {
  const ken = await api.token(ACCOUNTS.kenya);
  const filed = await expectOk(
    api,
    'submit',
    () =>
      api.call(
        'POST',
        '/api/v1/requests',
        ken,
        {
          title: 'Open request',
          urgency: 'routine',
          needs: [
            {
              thematicArea: 'ratification',
              description: 'Advice on ratification',
              modalities: ['remote_legal_advice'],
            },
          ],
        },
        { 'idempotency-key': randomUUID() },
      ),
    retries,
  );
  return filed.reference as string;
}

/** A decision over HTTP (README's walk-through), retried on 503 like every bench call. */
function decide(
  api: HttpApi,
  token: string,
  reference: string,
  action: string,
  body: unknown,
  retries: { count: number },
): Promise<unknown> {
  return expectOk(
    api,
    action,
    () => api.call('POST', `/api/v1/requests/${reference}/actions/${action}`, token, body),
    retries,
  );
}

/** One decision on a request, timed (ms). */
export async function ctapDecision(
  api: HttpApi,
  account: keyof typeof ACCOUNTS,
  reference: string,
  action: string,
  body: unknown,
  retries: { count: number },
): Promise<number> {
  const token = await api.token(ACCOUNTS[account]);
  return (await timed(() => decide(api, token, reference, action, body, retries)))[1];
}

export async function bareStart(client: Client, taskQueue: string): Promise<string> {
  const workflowId = `bare/${randomUUID()}`;
  await client.workflow.start('bareRequestWorkflow', { taskQueue, workflowId, args: [{ workflowId }] });
  return workflowId;
}

export async function bareLifecycle(client: Client, taskQueue: string): Promise<Timings> {
  const [workflowId, submitMs] = await timed(() => bareStart(client, taskQueue));
  const handle = client.workflow.getHandle(workflowId);
  const decisionMs: number[] = [];
  for (let step = 1; step <= BARE_STEPS; step++) {
    const [, ms] = await timed(() =>
      handle.executeUpdate(bareStepUpdate, {
        args: [{ step, payload: { step, decision: `step-${step}`, note: 'as large as a typical decision payload' } }],
        updateId: `${workflowId}:${step}`,
      }),
    );
    decisionMs.push(ms);
  }
  return { submitMs, decisionMs };
}

/** Runs `total` jobs with at most `concurrency` at once; returns the results and the wall time. */
export async function runConcurrent<T>(
  total: number,
  concurrency: number,
  job: () => Promise<T>,
): Promise<{ results: T[]; seconds: number }> {
  const results: T[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        next++;
        results.push(await job());
      }
    }),
  );
  return { results, seconds: (performance.now() - t0) / 1000 };
}
