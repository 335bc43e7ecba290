import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/common';
import { dataSourceOptions } from '@app/persistence';
import { AppModule } from '../../apps/api/src/app.module';
import { setupApp } from '../../apps/api/src/setup-app';
import { DEV_ACCOUNTS } from './dev-accounts';
import { DEMO_SCENARIOS, DemoScenario, DemoTarget, FAST_CLOCK_TARGETS } from './demo-scenarios';

/**
 * Drives the demo requests through the real API (in this process, same code and database as the
 * running API) and the real workflows (executed by the running worker). Nothing is written behind
 * the workflows' back. Requests whose point is a deadline passing are filed through an API whose
 * deadline "day" lasts DEMO_DAY_MS (default 2 s), so they become overdue, lapse or close in minutes.
 */
const FOCAL_PASSWORD = 'Focal-Point-2026!';
const DONORS = ['Norway', 'Canada', 'Japan', 'European Union', 'Germany', 'Spain'];

class DemoApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Api {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON answers of many routes
  call(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any>;
  close(): Promise<void>;
}

async function startApi(dayMs?: number): Promise<Api> {
  if (dayMs) process.env.CTAP_DEADLINES = JSON.stringify({ ...JSON.parse(process.env.CTAP_DEADLINES ?? '{}'), dayMs });
  else delete process.env.CTAP_DEADLINES;
  process.env.RATE_LIMIT_PER_MINUTE = '100000';
  process.env.AUTH_RATE_LIMIT_PER_MINUTE = '100000';
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error'], bodyParser: false });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return {
    async call(token, method, path, body, headers = {}) {
      // A 503 (a dependency briefly unavailable on a busy machine) is retried as its Retry-After
      // asks: every demo call is idempotent (Idempotency-Key, decisionId) so a retry is safe.
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${base.replace('[::1]', '127.0.0.1')}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        const json = text ? JSON.parse(text) : null;
        if (res.status === 503 && attempt < 10) {
          const seconds = Number(res.headers.get('retry-after')) || 1;
          await new Promise((r) => setTimeout(r, Math.min(seconds, 5) * 1000));
          continue;
        }
        if (!res.ok) throw new DemoApiError(res.status, `${method} ${path} → ${res.status} ${json?.detail ?? text}`);
        return json;
      }
    },
    close: () => app.close(),
  };
}

class Demo {
  private tokens = new Map<string, string>();
  constructor(private readonly api: Api) {}

  private async token(email: string, password: string): Promise<string> {
    if (!this.tokens.has(email)) {
      const { accessToken } = await this.api.call('', 'POST', '/api/v1/auth/token', { email, password });
      this.tokens.set(email, accessToken);
    }
    return this.tokens.get(email)!;
  }

  private account(role: string): Promise<string> {
    const a = DEV_ACCOUNTS.find((x) => x.role === role && !x.memberState)!;
    return this.token(a.email, a.password);
  }

  /** Focal point of a State: the development account, or one the administrator creates. */
  async focal(iso3: string): Promise<string> {
    const email = `focal.${iso3.toLowerCase()}@ctap.local`;
    try {
      return await this.token(email, FOCAL_PASSWORD);
    } catch (e) {
      if (!(e instanceof DemoApiError) || e.status !== 401) throw e;
      const admin = await this.account('admin');
      await this.api.call(admin, 'POST', '/api/v1/users', {
        email,
        displayName: `${iso3} focal point`,
        password: FOCAL_PASSWORD,
        role: 'member_state',
        memberState: iso3,
      });
      return this.token(email, FOCAL_PASSWORD);
    }
  }

  private act(token: string, ref: string, action: string, body: Record<string, unknown>) {
    return this.api.call(token, 'POST', `/api/v1/requests/${ref}/actions/${action}`, {
      decisionId: `demo:${ref}:${action}`,
      ...body,
    });
  }

  async run(s: DemoScenario, i: number): Promise<string> {
    const state = await this.focal(s.memberState);
    const cted = await this.account('cted_officer');
    const unodc = await this.account('unodc_manager');
    const submitted = await this.api.call(
      state,
      'POST',
      '/api/v1/requests',
      { title: s.title, needs: s.needs, urgency: i % 5 === 0 ? 'urgent' : 'routine' },
      { 'Idempotency-Key': `demo-${randomUUID()}` },
    );
    const ref: string = submitted.reference;
    const t = s.target;
    const needIds = s.needs.map((_, k) => `need-${k + 1}`);
    if (t === 'cted_review' || t === 'overdue_review') return ref;
    if (t === 'awaiting_information' || t === 'lapsed') {
      await this.act(cted, ref, 'request-information', {
        questions: ['Which ministry leads the work, and is a draft text available?'],
      });
      return ref;
    }
    if (t === 'declined') {
      await this.act(cted, ref, 'decline', {
        reason: 'The needs are already covered by an ongoing UNODC project in the country',
      });
      return ref;
    }
    if (t.startsWith('external')) {
      const donor = DONORS[i % DONORS.length];
      await this.act(cted, ref, 'refer-needs', {
        referrals: [
          {
            needIds,
            provider: { kind: 'external', name: donor },
            rationale: `${donor} runs a bilateral programme in this area`,
            assessmentRef: `CTED/PIA/${s.memberState}`,
          },
        ],
      });
      if (t === 'external_delivered')
        await this.act(cted, ref, 'record-referral-outcome', {
          referralId: 'ref-1',
          delivered: true,
          notes: `${donor} delivered the assistance`,
        });
      if (t === 'external_not_delivered')
        await this.act(cted, ref, 'record-referral-outcome', {
          referralId: 'ref-1',
          delivered: false,
          notes: `${donor} could not fund it this cycle`,
        });
      return ref;
    }
    await this.act(cted, ref, 'refer-needs', {
      referrals: [
        {
          needIds,
          provider: { kind: 'unodc_tpb' },
          rationale: 'Within the Terrorism Prevention Branch mandate; UNODC already active in the country',
        },
      ],
    });
    const activities = s.needs.map((n, k) => ({
      key: `a${k + 1}`,
      title: n.description.slice(0, 120),
      modality: n.modalities[0],
      thematicArea: n.thematicArea,
      // Delivered activities took place: dates in the past months (a delivery cannot be reported in advance).
      startDate: daysAgo(30 * ((k % 8) + 2) + 2),
      endDate: daysAgo(30 * ((k % 8) + 2)),
      place: 'National capital',
      participatingStates: [s.memberState],
      partners: k % 2 ? ['OHCHR'] : [],
      budgetUsd: 25000 + 5000 * k,
    }));
    await this.act(unodc, ref, 'propose-plan', { activities });
    if (t === 'plan_proposed') return ref;
    if (t === 'withdrawn') {
      await this.act(state, ref, 'withdraw', { reason: 'Priorities changed after the elections' });
      return ref;
    }
    await this.act(state, ref, 'accept-plan', { planVersion: 1 });
    await this.act(unodc, ref, 'record-cted-consultation', {
      summary: 'CTED confirms no overlap with other providers',
    });
    const budget = activities.reduce((sum, a) => sum + a.budgetUsd, 0);
    if (t !== 'awaiting_funding') {
      await this.act(unodc, ref, 'record-funding', {
        pledgeRef: `DEMO-${ref}`,
        donor: DONORS[(i + 2) % DONORS.length],
        amountUsd: budget,
      });
    }
    await this.act(unodc, ref, 'approve-plan', {});
    if (t === 'awaiting_funding') return ref;
    const deliver = t === 'delivery' ? activities.slice(0, 1) : activities;
    for (const a of deliver) {
      const trained = 18 + ((i * 7) % 20);
      await this.api.call(unodc, 'POST', `/api/v1/requests/${ref}/activities/${a.key}/actions/report-delivered`, {
        decisionId: `demo:${ref}:${a.key}:delivered`,
        deliveredOn: a.endDate,
        participantsByState: { [s.memberState]: trained + 4 },
        officialsTrainedByProfession: { prosecutor: Math.ceil(trained / 2), judge: Math.floor(trained / 2) },
        outputs: ['Workshop report', 'Recommendations on the draft law'],
      });
    }
    if (t === 'delivery') return ref;
    await this.act(unodc, ref, 'complete-delivery', { summary: 'All planned activities delivered' });
    await this.act(unodc, ref, 'record-indicators', {
      ratifications: s.needs.some((n) => n.thematicArea === 'ratification')
        ? [{ instrument: '2005-NUCLEAR-TERRORISM', depositedOn: daysAgo(20) }]
        : [],
      laws: [{ title: 'Counter-terrorism (amendment) act', status: i % 2 ? 'adopted' : 'drafted', date: daysAgo(10) }],
      officialsTrained: 20,
    });
    if (t === 'follow_up' || t === 'evaluation_not_received') return ref;
    await this.act(state, ref, 'submit-evaluation', {
      relevance: 5,
      usefulness: 4,
      comments: 'The workshop addressed our drafting needs directly',
      ...(t === 'completed_with_follow_up'
        ? {
            furtherNeeds: [
              {
                thematicArea: 'international_cooperation',
                description: 'Train the new central authority on extradition requests',
                modalities: ['national_training_workshop'],
              },
            ],
          }
        : {}),
    });
    return ref;
  }
}

export async function runDemo(
  opts: { onlyIfEmpty?: boolean; dayMs?: number; log?: (line: string) => void } = {},
): Promise<{ created: { reference: string; target: DemoTarget }[] }> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const config = loadConfig();
  if (opts.onlyIfEmpty) {
    const ds = await new DataSource(dataSourceOptions(config.databaseUrl)).initialize();
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM assistance_requests');
    await ds.destroy();
    if (n > 0) {
      log(`demo: the database already holds ${n} requests; nothing to do`);
      return { created: [] };
    }
  }
  const created: { reference: string; target: DemoTarget }[] = [];
  const total = DEMO_SCENARIOS.length;
  const dayMs = opts.dayMs ?? Number(process.env.DEMO_DAY_MS ?? 2000);
  for (const fast of [false, true]) {
    const scenarios = DEMO_SCENARIOS.map((s, i) => ({ s, i })).filter(
      ({ s }) => FAST_CLOCK_TARGETS.has(s.target) === fast,
    );
    const api = await startApi(fast ? dayMs : undefined);
    const demo = new Demo(api);
    try {
      for (const { s, i } of scenarios) {
        const reference = await demo.run(s, i);
        created.push({ reference, target: s.target });
        log(
          `demo [${String(created.length).padStart(2)}/${total}] ${reference} ${s.memberState} → ${s.target.replace(/_/g, ' ')}`,
        );
      }
    } finally {
      await api.close();
    }
  }
  log(
    `demo: ${created.length} requests created; overdue, lapsed and unanswered-evaluation ones follow their (shortened) deadlines over the next minutes`,
  );
  return { created };
}

if (require.main === module) {
  runDemo({ onlyIfEmpty: process.argv.includes('--if-empty') })
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(`demo failed: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    });
}

/** The calendar date (UTC) `days` days before today. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
