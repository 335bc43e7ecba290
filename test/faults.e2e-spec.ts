import { randomUUID } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { EventStore, dataSourceOptions } from '@app/persistence';
import {
  AppProcess,
  http,
  HttpResult,
  sharedWorkflowBundle,
  startApi,
  startTemporal,
  startWorker,
} from './support/processes';
import { DEV_ACCOUNTS } from '../seeds/src/dev-accounts';
import { freePort } from './support/ports';
import { PrivatePostgres } from './support/private-postgres';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..');
const LIFECYCLES = Number(process.env.FAULT_LIFECYCLES ?? 16);
const RESTARTS = Number(process.env.FAULT_PG_RESTARTS ?? 4);
const KILLED_SUBMISSIONS = Number(process.env.FAULT_SUBMISSIONS ?? 25);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const NEEDS = [
  {
    thematicArea: 'legislative_incorporation',
    description: 'Review the draft Prevention of Terrorism Bill',
    modalities: ['national_legislative_drafting_workshop'],
  },
  {
    thematicArea: 'countering_terrorist_financing',
    description: 'Train the financial intelligence unit',
    modalities: ['national_training_workshop'],
  },
];

/** What every answer during a fault must be: a 2xx, or a retryable 503 problem that says what happened. */
interface Tally {
  calls: number;
  ok: number;
  unavailable: Record<string, number>;
  networkErrors: number;
  other: { status: number; body: unknown; what: string }[];
}
const newTally = (): Tally => ({ calls: 0, ok: 0, unavailable: {}, networkErrors: 0, other: [] });

function classify(t: Tally, what: string, res: HttpResult): 'ok' | 'retry' | 'other' {
  t.calls++;
  if (res.networkError) {
    t.networkErrors++;
    return 'retry';
  }
  if (res.status >= 200 && res.status < 300) {
    t.ok++;
    return 'ok';
  }
  const wellFormed =
    res.status === 503 &&
    /application\/problem\+json/.test(res.headers.get('content-type') ?? '') &&
    Number(res.headers.get('retry-after')) > 0 &&
    (res.body.code === 'DEPENDENCY_UNAVAILABLE' || res.body.code === 'OUTCOME_UNKNOWN');
  if (wellFormed) {
    t.unavailable[res.body.code!] = (t.unavailable[res.body.code!] ?? 0) + 1;
    return 'retry';
  }
  t.other.push({ status: res.status, body: res.body, what });
  return 'other';
}

/**
 * A client that follows docs/API.md: it retries a 503 (and a dropped connection) with the same
 * Idempotency-Key or decisionId after `Retry-After`, and stops at any other answer.
 */
async function untilAnswered(t: Tally, what: string, call: () => Promise<HttpResult>, budgetMs = 90_000) {
  const until = Date.now() + budgetMs;
  for (;;) {
    const res = await call();
    const verdict = classify(t, what, res);
    if (verdict !== 'retry' || Date.now() > until) return res;
    await sleep(Math.min(Number(res.headers.get('retry-after') ?? 1), 2) * 1000);
  }
}

/** The errors a spawned process logged (for the failure message). */
function errorsIn(p: AppProcess): string[] {
  return p
    .log()
    .split('\n')
    .filter(
      (l) => /"level":"error"|failed:/.test(l) && !/ServiceUnavailableException|connection lost|idle client/.test(l),
    )
    .slice(-8)
    .map((l) => l.slice(0, 1500));
}

async function tokenFor(base: string, email: string): Promise<string> {
  const password = DEV_ACCOUNTS.find((a) => a.email === email)!.password;
  const res = await http(base, 'POST', '/api/v1/auth/token', { body: { email, password } });
  if (res.status !== 200) throw new Error(`token for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

describe('faults: Postgres restarted, the API killed, Temporal killed', () => {
  let pg: PrivatePostgres;
  let ds: DataSource | undefined;
  let worker: AppProcess | undefined;
  let api: AppProcess | undefined;
  const extra: AppProcess[] = [];
  let temporalKill: (() => void) | undefined;
  let ownTemporal: { address: string; kill(): void } | undefined;
  let base = '';
  let apiPort = 0;
  let env: Record<string, string> = {};
  const figures: Record<string, unknown> = {};
  /** The test's own connection to the cluster, opened only once the restarts are over. */
  const db = async (): Promise<DataSource> => (ds ??= await new DataSource(dataSourceOptions(pg.url)).initialize());

  beforeAll(async () => {
    const taskQueue = `faults-${process.pid}`;
    // Its own Temporal too: references restart at 000001 in the private cluster, and the workflow ids
    // built from them would collide with other test files' requests on the shared dev server.
    const [cluster, bundle, temporal] = await Promise.all([
      PrivatePostgres.create('ctap_faults'),
      sharedWorkflowBundle(),
      startTemporal(),
    ]);
    pg = cluster;
    ownTemporal = temporal;
    env = {
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: bundle,
    };
    apiPort = await freePort();
    base = `http://127.0.0.1:${apiPort}`;
    worker = startWorker(env);
    api = startApi(apiPort, env);
    await Promise.all([worker.ready, api.ready]);
  });

  afterAll(async () => {
    for (const p of [api, worker, ...extra]) p?.child.kill('SIGKILL');
    temporalKill?.();
    ownTemporal?.kill();
    await ds?.destroy();
    pg?.destroy();
    mkdirSync(path.join(ROOT, '.data'), { recursive: true });
    writeFileSync(path.join(ROOT, '.data', 'fault-test-results.json'), JSON.stringify(figures, null, 2));
    console.log(`fault tests: ${JSON.stringify(figures)}`);
  });

  it('(a) Postgres restarted under a stream of submissions and decisions: nothing acknowledged is lost or doubled, every 503 says what to do', async () => {
    const tokens = {
      ken: await tokenFor(base, 'focal.ken@ctap.local'),
      cted: await tokenFor(base, 'cted.officer@ctap.local'),
    };
    const marker = `FAULT-${process.pid}-${Date.now().toString(36)}`;
    const tally = newTally();
    const acked: { title: string; reference?: string; decisions: string[] }[] = [];
    let done = false;
    const restarts: { mode: string; downMs: number }[] = [];

    const chaos = (async () => {
      for (let i = 0; i < RESTARTS && !done; i++) {
        await sleep(1000 + Math.random() * 1500);
        if (done) break;
        const mode = i % 2 === 0 ? 'fast' : 'immediate';
        const stoppedAt = Date.now();
        pg.stop(mode);
        await sleep(300 + Math.random() * 1200);
        pg.start();
        restarts.push({ mode, downMs: Date.now() - stoppedAt });
      }
    })();

    const lifecycle = async (i: number) => {
      await sleep(Math.random() * 6000);
      const title = `${marker} #${i}`;
      const mine: (typeof acked)[number] = { title, decisions: [] };
      acked.push(mine);
      const key = randomUUID();
      const submitted = await untilAnswered(tally, `submit ${i}`, () =>
        http(base, 'POST', '/api/v1/requests', {
          token: tokens.ken,
          headers: { 'Idempotency-Key': key },
          body: { title, urgency: 'routine', needs: NEEDS },
        }),
      );
      if (submitted.status !== 201) return;
      const reference = (mine.reference = submitted.body.reference as string);
      const steps: [string, string, Record<string, unknown>][] = [
        [tokens.cted, 'request-information', { questions: ['Which ministry leads the drafting of the bill?'] }],
        [tokens.ken, 'provide-information', { answer: 'The Office of the Attorney-General.' }],
        [
          tokens.cted,
          'refer-needs',
          {
            referrals: [
              {
                needIds: ['need-1', 'need-2'],
                provider: { kind: 'external', name: 'International Monetary Fund' },
                rationale: 'The IMF already runs a programme here',
              },
            ],
          },
        ],
        [tokens.cted, 'record-referral-outcome', { referralId: 'ref-1', delivered: true, notes: 'Delivered' }],
      ];
      for (const [token, action, body] of steps) {
        await sleep(Math.random() * 400);
        const decisionId = `${marker}-${i}-${action}`;
        const res = await untilAnswered(tally, `${action} ${reference}`, () =>
          http(base, 'POST', `/api/v1/requests/${reference}/actions/${action}`, {
            token,
            body: { decisionId, ...body },
          }),
        );
        if (res.status !== 200) return;
        mine.decisions.push(decisionId);
      }
    };

    const started = Date.now();
    try {
      await Promise.all(Array.from({ length: LIFECYCLES }, (_, i) => lifecycle(i)));
    } finally {
      done = true;
      await chaos;
    }
    const seconds = Math.round((Date.now() - started) / 1000);

    // Both processes survived every restart.
    const tail = (p: AppProcess) => (p.child.exitCode === null ? '' : p.log().slice(-4000));
    expect({
      api: api!.child.exitCode,
      worker: worker!.child.exitCode,
      apiLog: tail(api!),
      workerLog: tail(worker!),
    }).toEqual({ api: null, worker: null, apiLog: '', workerLog: '' });
    expect({ other: tally.other, apiErrors: tally.other.length ? errorsIn(api!) : [] }).toEqual({
      other: [],
      apiErrors: [],
    });
    expect(restarts.length).toBeGreaterThanOrEqual(2);

    const ds = await db();
    let lost = 0;
    let duplicated = 0;
    const store = new EventStore(ds);
    for (const a of acked) {
      const rows: { id: string; reference: string; stage: string; outcome: string }[] = await ds.query(
        'SELECT id, reference, stage, outcome FROM assistance_requests WHERE title = $1',
        [a.title],
      );
      if (a.reference && rows.length === 0) lost++;
      if (rows.length > 1) duplicated += rows.length - 1;
      expect(rows.map((r) => r.reference)).toEqual([a.reference]);
      for (const decisionId of a.decisions) {
        const [{ n }] = await ds.query(
          'SELECT count(*)::int AS n FROM request_events WHERE request_id = $1 AND decision_id LIKE $2',
          [rows[0].id, `%:${decisionId}`],
        );
        if (n === 0) lost++;
        if (n > 1) duplicated += n - 1;
      }
      // Every lifecycle step completed, so every request closed.
      expect({ title: a.title, decisions: a.decisions.length, stage: rows[0].stage, outcome: rows[0].outcome }).toEqual(
        { title: a.title, decisions: 4, stage: 'closed', outcome: 'referred_externally_delivered' },
      );
      const verdicts = await store.verify(rows[0].id);
      expect(Object.values(verdicts).every((v) => v.ok)).toBe(true);
    }
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    figures.postgresRestarts = {
      lifecycles: LIFECYCLES,
      submissions: acked.filter((a) => a.reference).length,
      decisions: acked.reduce((n, a) => n + a.decisions.length, 0),
      calls: tally.calls,
      unavailable503: tally.unavailable,
      networkErrors: tally.networkErrors,
      other: tally.other.length,
      restarts,
      lost,
      duplicated,
      seconds,
    };
  });

  it('(b) the API killed with SIGKILL during submissions: every key succeeds exactly once on retry, none stays in flight', async () => {
    const token = await tokenFor(base, 'focal.ken@ctap.local');
    const marker = `KILLED-${process.pid}-${Date.now().toString(36)}`;
    const subs = Array.from({ length: KILLED_SUBMISSIONS }, (_, i) => ({
      key: randomUUID(),
      title: `${marker} #${i}`,
      first: undefined as HttpResult | undefined,
    }));
    const submit = (s: (typeof subs)[number]) =>
      http(base, 'POST', '/api/v1/requests', {
        token,
        headers: { 'Idempotency-Key': s.key },
        body: { title: s.title, urgency: 'routine', needs: NEEDS },
      });
    // Submissions spread over ~2 s; the API dies in the middle of them.
    const firstRound = Promise.all(
      subs.map(async (s, i) => {
        await sleep(i * 80);
        s.first = await submit(s);
      }),
    );
    await sleep(700 + Math.random() * 600);
    api!.child.kill('SIGKILL');
    await api!.exited;
    await firstRound;
    const cut = subs.filter((s) => s.first!.networkError).length;
    const answeredBeforeKill = subs.filter((s) => s.first!.status === 201).length;

    api = startApi(apiPort, env);
    await api.ready;
    const tally = newTally();
    let inFlight409 = 0;
    for (const s of subs) {
      const until = Date.now() + 30_000;
      let res: HttpResult;
      for (;;) {
        res = await submit(s);
        if (res.status === 409 && res.body.code === 'IDEMPOTENCY_KEY_IN_FLIGHT' && Date.now() < until) {
          inFlight409++;
          await sleep(500);
          continue;
        }
        if (classify(tally, `retry ${s.title}`, res) !== 'retry' || Date.now() > until) break;
        await sleep(500);
      }
      expect({ title: s.title, status: res.status }).toEqual({ title: s.title, status: 201 });
      if (s.first!.status === 201) expect(res.body.reference).toBe(s.first!.body.reference);
    }
    const rows: { title: string; n: number }[] = await (
      await db()
    ).query(`SELECT title, count(*)::int AS n FROM assistance_requests WHERE title LIKE $1 GROUP BY title`, [
      `${marker} #%`,
    ]);
    expect(rows.length).toBe(KILLED_SUBMISSIONS);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const orphans = await (
      await db()
    ).query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ANY($1) AND resource_ref IS NULL`, [
      subs.map((s) => s.key),
    ]);
    expect(orphans[0].n).toBe(0);
    expect(inFlight409).toBe(0);
    expect(tally.other).toEqual([]);
    figures.apiKilled = {
      submissions: KILLED_SUBMISSIONS,
      answeredBeforeKill,
      cutByKill: cut,
      retried503: tally.unavailable,
      inFlight409,
      stored: rows.length,
      duplicated: rows.filter((r) => r.n > 1).length,
    };
    expect(cut).toBeGreaterThan(0);
  });

  it('(c) Temporal killed: decisions answer 503 at once once it is known down, far under their 15 s deadline', async () => {
    const temporal = await startTemporal();
    temporalKill = temporal.kill;
    const port = await freePort();
    const own = startApi(port, { ...env, TEMPORAL_ADDRESS: temporal.address });
    extra.push(own);
    await own.ready;
    const url = `http://127.0.0.1:${port}`;
    const ken = await tokenFor(url, 'focal.ken@ctap.local');
    const cted = await tokenFor(url, 'cted.officer@ctap.local');
    const submitted = await http(url, 'POST', '/api/v1/requests', {
      token: ken,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { title: `TEMPORAL-DOWN-${process.pid}`, urgency: 'routine', needs: NEEDS },
    });
    expect(submitted.status).toBe(201);
    const reference = submitted.body.reference as string;
    const decide = () =>
      http(url, 'POST', `/api/v1/requests/${reference}/actions/request-information`, {
        token: cted,
        body: { decisionId: `ask-${randomUUID()}`, questions: ['Which ministry leads?'] },
      });

    temporal.kill();
    // A decision already under way when Temporal dies ends when the background probe notices,
    // not at its 15 s deadline.
    const during = await decide();
    expect(during.status).toBe(503);
    expect(during.ms).toBeLessThan(10_000);
    const health = await http(url, 'GET', '/health');
    expect({
      status: health.status,
      temporal: (health.body.checks as { temporal: { status: string } }).temporal.status,
    }).toEqual({ status: 503, temporal: 'down' });
    const known: HttpResult[] = [];
    for (let i = 0; i < 5; i++) known.push(await decide());
    known.push(
      await http(url, 'POST', '/api/v1/requests', {
        token: ken,
        headers: { 'Idempotency-Key': randomUUID() },
        body: { title: `TEMPORAL-DOWN-${process.pid} later`, urgency: 'routine', needs: NEEDS },
      }),
    );
    for (const res of known) {
      expect({ status: res.status, code: res.body.code, retryAfter: res.headers.get('retry-after') }).toEqual({
        status: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
        retryAfter: '2',
      });
      expect(res.ms).toBeLessThan(1000);
    }
    figures.temporalKilled = {
      inFlightDecisionMs: during.ms,
      inFlightCode: during.body.code,
      knownDownMs: known.map((r) => r.ms),
    };
  });
});
