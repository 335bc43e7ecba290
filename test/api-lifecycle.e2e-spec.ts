import { activity, actors, deliveredReport, kenyanRequest, unique, waitFor } from './api-fixtures';
import { useStack } from './support/test-stack';

jest.setTimeout(120_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

type Detail = {
  reference: string;
  stage: string;
  owner: string | null;
  outcome: string | null;
  timeline: { seq: number; stream: string; type: string; actorRole: string; actorMemberState: string | null }[];
  upcoming: { kind: string; at: string; description: string }[];
  state: { activities: { key: string; status: string }[] } | null;
};

describe('API lifecycle: the three roles take a request from submission to closure over HTTP', () => {
  const stack = useStack('api-lifecycle');
  const a = actors(stack);

  async function queue(actor: keyof ReturnType<typeof actors>): Promise<string[]> {
    const refs: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await a[actor].get(`/api/v1/work-queue?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      refs.push(...res.body.items.map((i: { reference: string }) => i.reference));
      cursor = res.body.nextCursor;
    } while (cursor);
    return refs;
  }

  it('submit → information → referral → plan → funding → delivery → indicators → evaluation → closed', async () => {
    const started = Date.now();
    const title = `Lifecycle ${unique()}`;
    const submitted = await a.kenya.submit(kenyanRequest(title));
    expect(submitted.status).toBe(201);
    expect(submitted.headers.location).toBe(`/api/v1/requests/${submitted.body.reference}`);
    const ref: string = submitted.body.reference;
    const path = `/api/v1/requests/${ref}`;

    let seen = 0;
    /** The request now; its timeline only ever grows, and must contain these new event types. */
    const step = async (res: { status: number; body: Detail }, newEvents: string[]): Promise<Detail> => {
      expect(res.status).toBe(200);
      const d = res.body;
      expect(d.timeline.length).toBeGreaterThan(seen);
      const added = d.timeline.slice(seen).map((e) => e.type);
      expect(added).toEqual(expect.arrayContaining(newEvents));
      seen = d.timeline.length;
      return d;
    };

    // Submitted: waits on CTED, whose clock and deadlines are shown.
    let d = await waitFor('the submitted event', async () => {
      const res = await a.kenya.get(path);
      return res.body.timeline?.length ? (res.body as Detail) : undefined;
    });
    seen = 0;
    d = await step({ status: 200, body: d }, ['submitted']);
    expect(d).toMatchObject({ stage: 'cted_review', owner: 'cted_officer', outcome: null });
    expect(d.upcoming.map((u) => u.kind)).toEqual(['owner_reminder', 'owner_escalation']);
    expect(Date.parse(d.upcoming[0].at)).toBeGreaterThan(started + 29 * 86_400_000);
    expect(d.upcoming[0].description).toMatch(/cted_review/);
    expect(await queue('cted')).toContain(ref);
    expect(await queue('kenya')).not.toContain(ref);

    // CTED asks for information: now the State's turn, with reminders and a lapse date ahead.
    d = await step(
      await a.cted.decide(ref, 'request-information', { questions: ['Which ministry leads the drafting?'] }),
      ['request_information', 'stage_changed'],
    );
    expect(d).toMatchObject({ stage: 'awaiting_information', owner: 'member_state' });
    expect(d.upcoming.map((u) => u.kind)).toEqual(['state_reminder', 'information_lapsed']);
    expect(await queue('kenya')).toContain(ref);
    expect(await queue('indonesia')).not.toContain(ref);
    expect(await queue('cted')).not.toContain(ref);

    d = await step(await a.kenya.decide(ref, 'provide-information', { answer: 'The Office of the Attorney-General' }), [
      'provide_information',
      'stage_changed',
    ]);
    expect(d).toMatchObject({ stage: 'cted_review', owner: 'cted_officer' });

    // CTED refers one need to UNODC and one to an external donor.
    d = await step(
      await a.cted.decide(ref, 'refer-needs', {
        referrals: [
          { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads legislative assistance' },
          {
            needIds: ['need-2'],
            provider: { kind: 'external', name: 'International Monetary Fund' },
            rationale: 'IMF runs an FIU programme',
            assessmentRef: 'CTED/PIA/KEN/2026',
          },
        ],
      }),
      ['refer_needs', 'stage_changed'],
    );
    expect(d).toMatchObject({ stage: 'unodc_planning', owner: 'unodc_manager' });
    const referrals = (await a.kenya.get(`${path}/referrals`)).body.items;
    expect(referrals).toEqual([
      expect.objectContaining({
        id: 'ref-1',
        provider: { kind: 'unodc_tpb' },
        needs: [expect.objectContaining({ id: 'need-1', thematicArea: 'legislative_incorporation' })],
        outcome: null,
      }),
      expect.objectContaining({
        id: 'ref-2',
        provider: { kind: 'external', name: 'International Monetary Fund' },
        assessmentRef: 'CTED/PIA/KEN/2026',
        outcome: null,
      }),
    ]);
    expect(await queue('unodc')).toContain(ref);

    // UNODC plans; the State agrees; CTED is consulted; a donor funds it; UNODC approves.
    d = await step(
      await a.unodc.decide(ref, 'propose-plan', {
        activities: [
          activity('drafting-ws'),
          activity('fiu-training', {
            title: 'FIU analyst training',
            modality: 'national_training_workshop',
            budgetUsd: 15000,
            startDate: '2026-03-02',
            endDate: '2026-03-03',
          }),
        ],
      }),
      ['propose_plan'],
    );
    expect(d.upcoming.map((u) => u.kind)).toContain('state_reminder');
    // A proposed plan waits on the State: it is the State's turn, and in its work queue.
    expect(d.owner).toBe('member_state');
    const plan = (await a.kenya.get(`${path}/work-plan`)).body;
    expect(plan).toMatchObject({
      plan: { version: 1, status: 'proposed', budgetUsd: 35000, ctedConsulted: false },
      funding: [],
      fundedUsd: 0,
    });
    expect(plan.plan.activities.map((x: { key: string }) => x.key)).toEqual(['drafting-ws', 'fiu-training']);

    await step(await a.kenya.decide(ref, 'accept-plan', { planVersion: 1 }), ['accept_plan']);
    await step(
      await a.unodc.decide(ref, 'record-cted-consultation', {
        summary: 'CTED agrees; no overlap with the IMF programme',
      }),
      ['record_cted_consultation'],
    );
    const pledge = unique('PLEDGE');
    const funding = { decisionId: unique('fund'), pledgeRef: pledge, donor: 'Norway', amountUsd: 35000 };
    await step(await a.unodc.decide(ref, 'record-funding', funding), ['record_funding']);
    // The same decision sent again (a retry) is applied once.
    const again = await a.unodc.decide(ref, 'record-funding', funding);
    expect(again.body.timeline.filter((e: { type: string }) => e.type === 'record_funding')).toHaveLength(1);
    expect((await a.unodc.get(`${path}/work-plan`)).body).toMatchObject({
      fundedUsd: 35000,
      funding: [expect.objectContaining({ pledgeRef: pledge, released: false })],
    });

    d = await step(await a.unodc.decide(ref, 'approve-plan', {}), ['approve_plan', 'cted_informed', 'stage_changed']);
    expect(d).toMatchObject({ stage: 'delivery', owner: 'unodc_manager' });
    // The IMF referral's outcome is still CTED's to record: its own clock runs beside delivery's
    // (due 180 days after the referral, before delivery's 365).
    expect(d.upcoming.map((u) => u.kind)).toEqual([
      'referral_reminder',
      'referral_escalation',
      'owner_reminder',
      'owner_escalation',
    ]);

    // Delivery: one child workflow per activity, each reported delivered by UNODC.
    const activities = await waitFor('two scheduled activities', async () => {
      const res = await a.kenya.get(`${path}/activities`);
      return res.body.items?.length === 2 ? res.body.items : undefined;
    });
    expect(activities).toEqual([
      expect.objectContaining({
        key: 'drafting-ws',
        status: 'scheduled',
        startDate: '2026-03-01',
        place: 'Nairobi',
        title: 'Drafting workshop drafting-ws',
        report: null,
      }),
      expect.objectContaining({ key: 'fiu-training', status: 'scheduled', modality: 'national_training_workshop' }),
    ]);
    for (const key of ['drafting-ws', 'fiu-training']) {
      const res = await a.unodc.post(`${path}/activities/${key}/actions/report-delivered`, deliveredReport);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        key,
        status: 'delivered',
        report: { deliveredOn: '2026-03-03', participantsByState: { KEN: 25 }, outputs: ['Revised draft bill'] },
      });
    }
    d = await waitFor('the request to learn both activities were delivered', async () => {
      const res = await a.unodc.get(path);
      return res.body.state?.activities?.every((x: { status: string }) => x.status === 'delivered')
        ? (res.body as Detail)
        : undefined;
    });
    expect(
      d.timeline
        .filter((e) => e.type === 'activity_delivered')
        .map((e) => e.stream)
        .sort(),
    ).toEqual(['activity/drafting-ws', 'activity/fiu-training', 'request', 'request']);
    seen = d.timeline.length;

    await step(
      await a.cted.decide(ref, 'record-referral-outcome', {
        referralId: 'ref-2',
        delivered: true,
        notes: 'IMF delivered FIU training',
      }),
      ['record_referral_outcome'],
    );
    expect((await a.cted.get(`${path}/referrals`)).body.items[1].outcome).toMatchObject({
      delivered: true,
      notes: 'IMF delivered FIU training',
    });
    // Its outcome recorded, the referral's clock is gone; delivery's own remains.
    expect((await a.cted.get(path)).body.upcoming.map((u: { kind: string }) => u.kind)).toEqual([
      'owner_reminder',
      'owner_escalation',
    ]);

    d = await step(await a.unodc.decide(ref, 'complete-delivery', { summary: 'Both activities delivered' }), [
      'complete_delivery',
      'stage_changed',
    ]);
    expect(d).toMatchObject({ stage: 'follow_up_evaluation', owner: 'member_state' });
    expect(d.upcoming.map((u) => u.kind)).toEqual(['evaluation_issued']);
    expect(await queue('kenya')).toContain(ref);

    await step(
      await a.unodc.decide(ref, 'record-indicators', {
        ratifications: [{ instrument: '2005-NUCLEAR-TERRORISM', depositedOn: '2026-06-01' }],
        laws: [{ title: 'Prevention of Terrorism (Amendment) Act', status: 'adopted', date: '2026-09-01' }],
        officialsTrained: 44,
      }),
      ['record_indicators'],
    );

    d = await step(
      await a.kenya.decide(ref, 'submit-evaluation', {
        relevance: 5,
        usefulness: 4,
        comments: 'The drafting workshop unblocked the bill',
        furtherNeeds: [
          {
            thematicArea: 'criminal_justice_capacity',
            description: 'Train judges on the new law',
            modalities: ['mock_trial'],
          },
        ],
      }),
      ['submit_evaluation', 'closed'],
    );
    expect(d).toMatchObject({ stage: 'closed', outcome: 'completed', owner: null, upcoming: [] });
    expect(await queue('kenya')).not.toContain(ref);

    const evaluation = await waitFor('the follow-up request', async () => {
      const res = await a.kenya.get(`${path}/evaluation`);
      return res.body.followUps?.length ? res.body : undefined;
    });
    expect(evaluation).toMatchObject({
      evaluation: {
        relevance: 5,
        usefulness: 4,
        furtherNeeds: [expect.objectContaining({ thematicArea: 'criminal_justice_capacity' })],
      },
      indicators: {
        officialsTrained: 44,
        ratifications: [{ instrument: '2005-NUCLEAR-TERRORISM', depositedOn: '2026-06-01' }],
        laws: [expect.objectContaining({ status: 'adopted' })],
      },
      followUps: [{ reference: `${ref}-F1`, stage: 'cted_review' }],
    });

    // The whole story, in order, with who did what.
    const full: Detail = (await a.cted.get(path)).body;
    const decisions = full.timeline
      .filter((e) => e.stream === 'request' && e.actorRole !== 'system')
      .map((e) => `${e.actorRole}:${e.type}`);
    expect(decisions).toEqual([
      'cted_officer:request_information',
      'member_state:provide_information',
      'cted_officer:refer_needs',
      'unodc_manager:propose_plan',
      'member_state:accept_plan',
      'unodc_manager:record_cted_consultation',
      'unodc_manager:record_funding',
      'unodc_manager:approve_plan',
      'cted_officer:record_referral_outcome',
      'unodc_manager:complete_delivery',
      'unodc_manager:record_indicators',
      'member_state:submit_evaluation',
    ]);
    expect(full.timeline.filter((e) => e.actorRole === 'member_state').every((e) => e.actorMemberState === 'KEN')).toBe(
      true,
    );
    const systemEvents = full.timeline
      .filter((e) => e.stream === 'request' && e.actorRole === 'system')
      .map((e) => e.type);
    expect(systemEvents).toEqual(
      expect.arrayContaining(['submitted', 'cted_informed', 'activity_delivered', 'follow_up_opened', 'closed']),
    );
    expect(systemEvents.filter((t) => t === 'stage_changed')).toHaveLength(6);

    // Closed: any further decision is a 409 problem with the reason.
    const late = await a.kenya.post(`${path}/actions/withdraw`, { reason: 'too late' });
    expect(late.status).toBe(409);
    expect(late.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(late.body.code).toBe('REQUEST_CLOSED');
  });

  it('refuses decisions out of turn with 409 and the reason, by the wrong role with 403, and another State with 404', async () => {
    const ref: string = (await a.kenya.submit()).body.reference;
    const path = `/api/v1/requests/${ref}`;
    const early = await a.unodc.post(`${path}/actions/approve-plan`, {});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      status: 409,
      code: 'STAGE_NOT_ALLOWED',
      detail: 'approve_plan is not allowed in stage cted_review',
    });
    const wrongRole = await a.kenya.post(`${path}/actions/refer-needs`, {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'x' }],
    });
    expect(wrongRole.status).toBe(403);
    const otherState = await a.indonesia.post(`${path}/actions/withdraw`, { reason: 'not ours' });
    expect(otherState.status).toBe(404);
    expect(otherState.body.detail).toBe(`request ${ref} not found`);
    // Nothing of that reached the record.
    const d = await waitFor('the submitted event', async () => {
      const res = await a.kenya.get(path);
      return res.body.timeline?.length ? (res.body as Detail) : undefined;
    });
    expect(d.timeline.map((e) => e.type)).toEqual(['submitted']);
    expect(d.stage).toBe('cted_review');
  });

  it('reschedules and cancels delivery activities; a cancelled one no longer blocks completion', async () => {
    const ref: string = (await a.kenya.submit()).body.reference;
    const path = `/api/v1/requests/${ref}`;
    await a.cted.decide(ref, 'refer-needs', {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB covers both' }],
    });
    await a.unodc.decide(ref, 'propose-plan', { activities: [activity('w1'), activity('w2', { budgetUsd: 5000 })] });
    await a.kenya.decide(ref, 'accept-plan', { planVersion: 1 });
    await a.unodc.decide(ref, 'record-cted-consultation', { summary: 'ok' });
    await a.unodc.decide(ref, 'record-funding', { pledgeRef: unique('P'), donor: 'Canada', amountUsd: 25000 });
    await a.unodc.decide(ref, 'approve-plan', {});
    await waitFor('activities', async () => (await a.unodc.get(`${path}/activities`)).body.items?.length === 2);

    const moved = await a.unodc.post(`${path}/activities/w1/actions/reschedule`, {
      startDate: '2026-05-10',
      endDate: '2026-05-12',
      place: 'Mombasa',
      reason: 'Parliament sits in March',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      key: 'w1',
      status: 'scheduled',
      startDate: '2026-05-10',
      endDate: '2026-05-12',
      place: 'Mombasa',
      reschedules: 1,
    });
    const backwards = await a.unodc.post(`${path}/activities/w1/actions/reschedule`, {
      startDate: '2026-05-12',
      endDate: '2026-05-10',
      reason: 'typo',
    });
    // The payload's own schema says endDate is not before startDate: refused before the workflow.
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('endDate');

    const cancelled = await a.unodc.post(`${path}/activities/w2/actions/cancel`, {
      reason: 'Replaced by the online course',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const twice = await a.unodc.post(`${path}/activities/w2/actions/cancel`, { reason: 'again' });
    expect(twice.status).toBe(409);
    const missing = await a.unodc.post(`${path}/activities/nope/actions/cancel`, { reason: 'x' });
    expect(missing.status).toBe(404);

    const tooEarly = await a.unodc.post(`${path}/actions/complete-delivery`, {});
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('PLAN_NOT_READY');
    await a.unodc.post(`${path}/activities/w1/actions/report-delivered`, {
      ...deliveredReport,
      deliveredOn: '2026-05-12',
      place: 'Mombasa',
    });
    await waitFor('the request to see w1 delivered and w2 cancelled', async () => {
      const acts = (await a.unodc.get(path)).body.state?.activities ?? [];
      return acts.length === 2 && acts.every((x: { status: string }) => x.status !== 'scheduled');
    });
    const done = await a.unodc.decide(ref, 'complete-delivery', {});
    expect(done.body.stage).toBe('follow_up_evaluation');
    const list = (await a.kenya.get(`${path}/activities`)).body.items;
    expect(list.map((x: { key: string; status: string }) => `${x.key}:${x.status}`).sort()).toEqual([
      'w1:delivered',
      'w2:cancelled',
    ]);
  });

  it('keyset-paginates the work queue, nearest deadline first, without repeats', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await a.kenya.submit()).body.reference);
    await waitFor('the deadlines of the new requests', async () => {
      const res = await stack.ds.query(
        'SELECT count(*)::int AS n FROM assistance_requests WHERE reference = ANY($1) AND next_deadline_at IS NOT NULL',
        [mine],
      );
      return res[0].n === mine.length;
    });
    const seen: string[] = [];
    const order: [number, number][] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await a.cted.get(
        `/api/v1/work-queue?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(item.owner).toBe('cted_officer');
        seen.push(item.reference);
        // Urgent requests first (other files leave some in the shared database), then by deadline.
        order.push([
          item.urgent ? 0 : 1,
          item.nextDeadlineAt ? Date.parse(item.nextDeadlineAt) : Number.POSITIVE_INFINITY,
        ]);
      }
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 500);
    expect(pages).toBeGreaterThan(2);
    // Keyset order holds across pages; our own requests (which nobody else touches) appear once each.
    expect(order).toEqual([...order].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
    expect(mine.map((ref) => seen.filter((x) => x === ref).length)).toEqual(mine.map(() => 1));
    // The counts are the whole queue's, every page: the home page's figures.
    const counts = await a.cted.get('/api/v1/work-queue/counts');
    expect(counts.status).toBe(200);
    expect(counts.body.total).toBe(seen.length);
    expect(counts.body.byStage.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(seen.length);
    expect(counts.body.byStage.map((s: { stage: string }) => s.stage)).toContain('cted_review');
    expect((await a.cted.get('/api/v1/work-queue/counts?limit=5')).status).toBe(400);
    const bad = await a.cted.get('/api/v1/work-queue?cursor=bm90LWEtY3Vyc29y');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'cursor', reason: 'not a cursor this API issued', rule: 'invalid' }]);
  });
});
