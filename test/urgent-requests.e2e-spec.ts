import { Actor, kenyanRequest, unique } from './api-fixtures';
import { ACCOUNTS, TestStack, startStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(120_000);

const DAY = 86_400_000;
// Deliberately inverted: here an urgent review is due *later* than a routine one, so the work
// queue can only put urgent requests first by their urgency, not by their nearer deadline.
const DEADLINES = JSON.stringify({
  owner: { cted_review: { dueDays: 3, escalateDays: 5 } },
  urgent: { owner: { cted_review: { dueDays: 20, reminderEveryDays: 2, escalateDays: 25 } } },
});

interface Summary {
  reference: string;
  urgent: boolean;
  nextDeadlineAt: string | null;
}

/**
 * An urgent request runs on its own deadline row (stored with it), comes first in work queues
 * on every page, and its notifications say it is urgent.
 */
describe('urgent requests', () => {
  let stack: TestStack;
  let kenya: Actor;
  let cted: Actor;
  beforeAll(async () => {
    stack = await startStack('urgent', { env: { CTAP_DEADLINES: DEADLINES } });
    kenya = new Actor(stack, ACCOUNTS.kenya);
    cted = new Actor(stack, ACCOUNTS.cted);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function submit(urgency: 'routine' | 'urgent'): Promise<string> {
    const res = await kenya.submit({ ...kenyanRequest(unique(`Urgency ${urgency}`)), urgency });
    expect(res.status).toBe(201);
    expect(res.body.urgent).toBe(urgency === 'urgent');
    const ref: string = res.body.reference;
    await waitFor(async () => (await cted.get(`/api/v1/requests/${ref}`)).body.nextDeadlineAt != null);
    return ref;
  }

  /** The whole CTED work queue, one row per page: the order must hold across cursors. */
  async function queue(): Promise<Summary[]> {
    const rows: Summary[] = [];
    let cursor: string | null = null;
    do {
      const res = await cted.get(`/api/v1/work-queue?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      rows.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return rows;
  }

  it('stores the urgent row with the request and shows its deadlines', async () => {
    const routine = await submit('routine');
    const urgent = await submit('urgent');
    const due = async (ref: string) => {
      const d = (await cted.get(`/api/v1/requests/${ref}`)).body;
      return {
        urgent: d.urgent,
        days: Math.round((Date.parse(d.upcoming[0].at) - Date.parse(d.submittedAt)) / DAY),
        kinds: d.upcoming.map((t: { kind: string }) => t.kind),
      };
    };
    expect(await due(routine)).toEqual({ urgent: false, days: 3, kinds: ['owner_reminder', 'owner_escalation'] });
    expect(await due(urgent)).toEqual({ urgent: true, days: 20, kinds: ['owner_reminder', 'owner_escalation'] });
    const [row] = await stack.ds.query('SELECT deadline_config FROM assistance_requests WHERE reference = $1', [
      urgent,
    ]);
    expect(row.deadline_config).toMatchObject({
      urgency: 'urgent',
      timerRules: 2,
      owner: { cted_review: { dueDays: 20, reminderEveryDays: 2, escalateDays: 25, maxReminders: 3 } },
    });
    expect(row.deadline_config.urgent).toBeUndefined();

    // Urgent first in the work queue, although its deadline is later; no row twice or lost across pages.
    const rows = await queue();
    const refs = rows.map((r) => r.reference);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs).toEqual(expect.arrayContaining([routine, urgent]));
    expect(refs.indexOf(urgent)).toBeLessThan(refs.indexOf(routine));
    const firstRoutine = rows.findIndex((r) => !r.urgent);
    expect(rows.slice(firstRoutine).every((r) => !r.urgent)).toBe(true);

    // Its notifications say so (the e-mail subject is prefixed from the same flag).
    await waitFor(async () =>
      (await cted.get('/api/v1/notifications?limit=100')).body.items.some(
        (n: { reference: string }) => n.reference === urgent,
      ),
    );
    const items = (await cted.get('/api/v1/notifications?limit=100')).body.items as {
      reference: string;
      params: Record<string, unknown>;
    }[];
    expect(items.find((n) => n.reference === urgent)!.params).toMatchObject({ urgent: true });
    expect(items.find((n) => n.reference === routine)?.params.urgent).toBeUndefined();
  });

  it("shows each external referral's own clock beside UNODC's planning clock, from the stored configuration", async () => {
    const ref = await submit('routine');
    const refer = await cted.decide(ref, 'refer-needs', {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB mandate' },
        { needIds: ['need-2'], provider: { kind: 'external', name: 'IMF' }, rationale: 'FIU programme' },
      ],
    });
    expect(refer.status).toBe(200);
    await waitFor(async () => (await cted.get(`/api/v1/requests/${ref}`)).body.stage === 'unodc_planning');
    const detail = (await cted.get(`/api/v1/requests/${ref}`)).body;
    const referredAt = Date.parse(detail.state.referrals[1].referredAt);
    expect(
      detail.upcoming.map((t: { kind: string; at: string; referralId: string | null }) => [
        t.kind,
        t.referralId,
        Math.round((Date.parse(t.at) - referredAt) / DAY),
      ]),
    ).toEqual([
      ['owner_reminder', null, 60],
      ['owner_escalation', null, 90],
      ['referral_reminder', 'ref-2', 180],
      ['referral_escalation', 'ref-2', 270],
    ]);
    expect(detail.nextDeadlineAt).toBe(detail.upcoming[0].at);
  });
});
