// Shared data and helpers for the test/api-*.e2e-spec.ts files (HTTP only, real stack).
import { randomUUID } from 'crypto';
import type { Response } from 'supertest';
import { ACCOUNTS, TestStack } from './support/test-stack';
import { activity as plannedActivity } from '../workflows/test/fixtures';

export { ACCOUNTS };

/** A unique marker so each test finds its own rows in the shared database. */
export function unique(prefix = 't'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function kenyanRequest(title = `Legislative assistance ${unique()}`) {
  return {
    title,
    needs: [
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
    ],
    urgency: 'routine',
  };
}

/** The planned activity of the workflow tests, titled as a drafting workshop. */
export function activity(key: string, overrides: Record<string, unknown> = {}) {
  return plannedActivity(key, { title: `Drafting workshop ${key}`, ...overrides });
}

export const deliveredReport = {
  deliveredOn: '2026-03-03',
  participantsByState: { KEN: 25 },
  officialsTrainedByProfession: { judge: 10, prosecutor: 12 },
  outputs: ['Revised draft bill'],
};

/** A small HTTP client acting as one account. */
export class Actor {
  constructor(
    private readonly stack: TestStack,
    readonly email: string,
  ) {}

  private async auth(): Promise<string> {
    return `Bearer ${await this.stack.tokenFor(this.email)}`;
  }

  async get(path: string): Promise<Response> {
    return this.stack.http.get(path).set('Authorization', await this.auth());
  }

  async post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Response> {
    const req = this.stack.http.post(path).set('Authorization', await this.auth());
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req.send(body as object);
  }

  async patch(path: string, body: unknown = {}): Promise<Response> {
    return this.stack.http
      .patch(path)
      .set('Authorization', await this.auth())
      .send(body as object);
  }

  async delete(path: string): Promise<Response> {
    return this.stack.http.delete(path).set('Authorization', await this.auth());
  }

  /** Takes a decision; fails the test with the problem body if the status is not the one expected. */
  async decide(reference: string, action: string, body: unknown, expected = 200): Promise<Response> {
    const res = await this.post(`/api/v1/requests/${reference}/actions/${action}`, body);
    if (res.status !== expected)
      throw new Error(
        `${action} by ${this.email}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    return res;
  }

  async submit(body: unknown = kenyanRequest(), key = randomUUID()): Promise<Response> {
    return this.post('/api/v1/requests', body, { 'Idempotency-Key': key });
  }
}

export function actors(stack: TestStack) {
  return {
    kenya: new Actor(stack, ACCOUNTS.kenya),
    indonesia: new Actor(stack, ACCOUNTS.indonesia),
    cted: new Actor(stack, ACCOUNTS.cted),
    unodc: new Actor(stack, ACCOUNTS.unodc),
    admin: new Actor(stack, ACCOUNTS.admin),
    ctedSupervisor: new Actor(stack, ACCOUNTS.ctedSupervisor),
    unodcSupervisor: new Actor(stack, ACCOUNTS.unodcSupervisor),
    cted2: new Actor(stack, ACCOUNTS.cted2),
  };
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Submits a Kenyan request and drives it over HTTP to delivery with the given activities
 * (need-1 referred to UNODC, need-2 to the IMF), then waits until its activities exist.
 */
export async function requestInDelivery(
  stack: TestStack,
  activities = [activity('a1'), activity('a2', { budgetUsd: 15000 })],
): Promise<string> {
  const a = actors(stack);
  const submitted = await a.kenya.submit();
  if (submitted.status !== 201) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const reference: string = submitted.body.reference;
  await a.cted.decide(reference, 'refer-needs', {
    referrals: [
      { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads legislative assistance' },
      {
        needIds: ['need-2'],
        provider: { kind: 'external', name: 'International Monetary Fund' },
        rationale: 'IMF FIU programme',
      },
    ],
  });
  await a.unodc.decide(reference, 'propose-plan', { activities });
  await a.kenya.decide(reference, 'accept-plan', { planVersion: 1 });
  await a.unodc.decide(reference, 'record-cted-consultation', { summary: 'CTED agrees' });
  const budget = activities.reduce((s, x) => s + Number(x.budgetUsd), 0);
  await a.unodc.decide(reference, 'record-funding', { pledgeRef: unique('P'), donor: 'Norway', amountUsd: budget });
  const approved = await a.unodc.decide(reference, 'approve-plan', {});
  if (approved.body.stage !== 'delivery') throw new Error(`expected delivery, got ${approved.body.stage}`);
  await waitFor('delivery activities', async () => {
    const res = await a.unodc.get(`/api/v1/requests/${reference}/activities`);
    return res.body.items?.length === activities.length;
  });
  return reference;
}

/** A subregional CFT workshop for Kenya and Indonesia, shared under a sharedKey of this test's own. */
export function sharedWorkshop(prefix: string) {
  const sharedKey = `RW-${unique(prefix)
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 40)}`;
  return {
    key: 'cft-regional',
    title: 'Subregional workshop on countering the financing of terrorism',
    modality: 'subregional_workshop',
    thematicArea: 'countering_terrorist_financing',
    startDate: '2026-05-10',
    endDate: '2026-05-12',
    place: 'Bangkok',
    participatingStates: ['IDN', 'KEN'],
    partners: ['FATF'],
    budgetUsd: 40000,
    sharedKey,
  };
}

/**
 * A State's one-need CFT request, driven over HTTP to delivery with the shared workshop as its
 * plan (need-1 referred to UNODC, funded by Japan); returns its reference.
 */
export async function sharedWorkshopRequestInDelivery(
  a: ReturnType<typeof actors>,
  state: Actor,
  iso3: string,
  workshop: ReturnType<typeof sharedWorkshop>,
): Promise<string> {
  const submitted = await state.submit({
    title: `CFT assistance ${unique()}`,
    needs: [
      {
        thematicArea: 'countering_terrorist_financing',
        description: 'Financial intelligence unit training',
        modalities: ['subregional_workshop'],
      },
    ],
    urgency: 'routine',
  });
  if (submitted.status !== 201) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const ref: string = submitted.body.reference;
  await a.cted.decide(ref, 'refer-needs', {
    referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'Regional CFT programme' }],
  });
  await a.unodc.decide(ref, 'propose-plan', { activities: [workshop] });
  await state.decide(ref, 'accept-plan', { planVersion: 1 });
  await a.unodc.decide(ref, 'record-cted-consultation', { summary: 'CTED supports a joint workshop' });
  await a.unodc.decide(ref, 'record-funding', {
    pledgeRef: `PL-${iso3}-${workshop.sharedKey}`,
    donor: 'Japan',
    amountUsd: 40000,
  });
  const approved = await a.unodc.decide(ref, 'approve-plan', {});
  if (approved.body.stage !== 'delivery') throw new Error(`expected delivery, got ${approved.body.stage}`);
  return ref;
}
