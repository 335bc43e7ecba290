import {
  DAY_MS,
  DEFAULT_DEADLINES,
  DomainEvent,
  NotificationKind,
  Stage,
  deadlinesFor,
  notificationsFor,
  upcomingTimers,
} from '@app/domain';
import { getRequestQuery, requestWorkflowId } from '@app/contracts';
import { temporal } from '@temporalio/proto';
import { assistanceRequestWorkflow } from '../src';
import type { AssistanceRequestInput } from '../src/assistance-request.workflow';
import { CTED, decide, requestInput, uniqueRef } from './fixtures';
import { useWorkflowWorker } from './workflow-env';
import { saveHistory } from './histories';

jest.setTimeout(180_000);

const YEARS_3 = 3 * 365 * DAY_MS;

/**
 * Reminders that end, a clock per external referral, urgent deadlines: on the time-skipping
 * server, years pass in seconds. Messages are counted with the same pure mapping the outbox uses
 * (notificationsFor), one per recipient spec: what would be sent to each role or State.
 */
describe('deadline clocks that end', () => {
  const taskQueue = 'deadline-clocks';
  const ctx = useWorkflowWorker(taskQueue);
  const { store } = ctx;

  async function start(patch: Partial<AssistanceRequestInput> = {}) {
    const reference = uniqueRef('DC');
    const input = { ...requestInput(reference, await ctx.env.currentTimeMs()), ...patch };
    const handle = await ctx.env.client.workflow.start(assistanceRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(reference),
      args: [input],
    });
    return { handle, input, id: input.request.requestId };
  }

  const events = (id: string): DomainEvent[] => store.streams.get(id) ?? [];
  const count = (id: string) => {
    const byType: Record<string, number> = {};
    for (const e of events(id)) byType[e.type] = (byType[e.type] ?? 0) + 1;
    return byType;
  };
  /** Messages per recipient ("role:cted_officer", "state:KEN") and per kind, as the outbox would write them. */
  const messages = (id: string) => {
    const perRecipient: Record<string, number> = {};
    const perKind: Record<string, number> = {};
    for (const e of events(id)) {
      for (const intent of notificationsFor(e, { memberState: 'KEN', stream: 'request' })) {
        for (const r of intent.recipients) {
          const key = r.kind === 'role' ? `role:${r.role}` : r.kind === 'state' ? `state:${r.memberState}` : r.userId;
          perRecipient[key] = (perRecipient[key] ?? 0) + 1;
          perKind[intent.kind] = (perKind[intent.kind] ?? 0) + 1;
        }
      }
    }
    return { perRecipient, perKind };
  };
  const historyOf = async (workflowId: string, runId?: string) => {
    const history = await ctx.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    return {
      length: history.events?.length ?? 0,
      bytes: temporal.api.history.v1.History.encode(history).finish().length,
    };
  };

  it('a request ignored in CTED review for three years: 3 reminders, one escalation, then silence', async () => {
    const { handle, id } = await start();
    await ctx.env.sleep(YEARS_3);
    const view = await handle.query(getRequestQuery);
    expect(view.state.stage).toBe(Stage.CtedReview);
    expect(view.state.clock).toMatchObject({ remindersSent: 3, overdue: true, escalated: true });
    expect(view.upcoming).toEqual([]);
    expect(count(id)).toEqual({ submitted: 1, overdue: 1, deadline_reminder: 3, escalated: 1 });
    expect(events(id).find((e) => e.type === 'escalated')!.payload).toEqual({
      stage: Stage.CtedReview,
      owner: 'cted_officer',
      escalatedTo: 'cted_supervisor',
    });
    expect(messages(id)).toEqual({
      perRecipient: { 'role:cted_officer': 6, 'state:KEN': 1 },
      perKind: {
        [NotificationKind.RequestReceived]: 2,
        [NotificationKind.Overdue]: 1,
        [NotificationKind.Reminder]: 3,
        [NotificationKind.Escalation]: 1,
      },
    });
    // One run, and a history that does not grow with time: everything after day 45 is waiting.
    const history = await historyOf(handle.workflowId);
    expect(history.length).toBeLessThan(100);
    expect(history.bytes).toBeLessThan(64 * 1024);
    expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
    // The stored read model carries the timer rules, so the API computes the same (empty) upcoming list.
    const snapshot = store.snapshots.get(id)!;
    expect(snapshot.deadlines?.timerRules).toBe(2);
    expect(snapshot.nextDeadlineAt).toBeNull();
    expect(upcomingTimers(snapshot.state, snapshot.deadlines!)).toEqual([]);
    await saveHistory(handle, 'ignored-three-years');
  });

  it('referred to UNODC and to an external provider, then ignored for three years, across continue-as-new', async () => {
    // A small history budget makes the run continue as new on the way; the clocks carry over.
    const { handle, id } = await start({ historyBudget: 40 });
    await decide(handle, 'refer_needs', CTED, {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB mandate' },
        { needIds: ['need-2'], provider: { kind: 'external', name: 'IMF' }, rationale: 'FIU programme' },
      ],
    });
    const referredAt = await ctx.env.currentTimeMs();
    const before = await handle.query(getRequestQuery);
    // Both clocks show in `upcoming`: UNODC's planning clock and CTED's clock on ref-2.
    expect(
      before.upcoming.map((t) => [t.kind, t.referralId ?? null, Math.round((t.at - referredAt) / DAY_MS)]),
    ).toEqual([
      ['owner_reminder', null, 60],
      ['owner_escalation', null, 90],
      ['referral_reminder', 'ref-2', 180],
      ['referral_escalation', 'ref-2', 270],
    ]);
    expect(store.snapshots.get(id)!.nextDeadlineKind).toBe('owner_reminder');

    await ctx.env.sleep(YEARS_3);
    const view = await handle.query(getRequestQuery);
    expect(view.state.stage).toBe(Stage.UnodcPlanning);
    expect(view.upcoming).toEqual([]);
    expect(view.state.referrals[1].clock).toEqual({ remindersSent: 3, overdue: true, escalated: true });
    expect(count(id)).toEqual({
      submitted: 1,
      refer_needs: 1,
      stage_changed: 1,
      overdue: 1,
      deadline_reminder: 3,
      escalated: 1,
      referral_overdue: 1,
      referral_reminder: 3,
      referral_escalated: 1,
    });
    expect(events(id).find((e) => e.type === 'escalated')!.payload).toMatchObject({ escalatedTo: 'unodc_supervisor' });
    expect(events(id).find((e) => e.type === 'referral_escalated')!.payload).toMatchObject({
      referralId: 'ref-2',
      owner: 'cted_officer',
      escalatedTo: 'cted_supervisor',
    });
    expect(messages(id).perRecipient).toEqual({ 'role:cted_officer': 6, 'role:unodc_manager': 5, 'state:KEN': 1 });
    // Event numbers stayed contiguous across runs (the store refuses gaps) and nothing was sent twice.
    expect(events(id)).toHaveLength(13);

    const described = await handle.describe();
    expect(described.runId).not.toBe(handle.firstExecutionRunId);
    const first = await historyOf(handle.workflowId, handle.firstExecutionRunId);
    const last = await historyOf(handle.workflowId);
    expect(first.length).toBeLessThan(100);
    expect(last.length).toBeLessThan(100);
    expect(last.bytes).toBeLessThan(64 * 1024);
    // The run that continued as new (its clocks running), for the replay test.
    await saveHistory(
      ctx.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId),
      'referral-clocks-continued-as-new',
    );
  });

  it("an external referral's clock runs beside UNODC's, and stops when CTED records its outcome", async () => {
    const { handle, id } = await start();
    await decide(handle, 'refer_needs', CTED, {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB mandate' },
        { needIds: ['need-2'], provider: { kind: 'external', name: 'IMF' }, rationale: 'FIU programme' },
      ],
    });
    await ctx.env.sleep(181 * DAY_MS);
    expect(count(id)).toMatchObject({ referral_overdue: 1, referral_reminder: 1, escalated: 1 });
    const view = await decide(handle, 'record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: true,
      notes: 'FIU analysts trained by the IMF',
    });
    expect(view.upcoming.filter((t) => t.referralId)).toEqual([]);
    await ctx.env.sleep(200 * DAY_MS);
    expect(count(id)).toMatchObject({ referral_overdue: 1, referral_reminder: 1 });
    expect(count(id).referral_escalated).toBeUndefined();
    expect((await handle.query(getRequestQuery)).state.stage).toBe(Stage.UnodcPlanning);
    await saveHistory(handle, 'referral-clock-stopped-by-outcome');
  });

  it("every need referred externally: the referrals' clocks replace the stage clock and flag the request overdue", async () => {
    const { handle, id } = await start();
    await decide(handle, 'refer_needs', CTED, {
      referrals: [
        { needIds: ['need-1'], provider: { kind: 'external', name: 'UNDP' }, rationale: 'Rule of law programme' },
        { needIds: ['need-2'], provider: { kind: 'external', name: 'IMF' }, rationale: 'FIU programme' },
      ],
    });
    await ctx.env.sleep(179 * DAY_MS);
    expect((await handle.describe()).searchAttributes.CtapOverdue).toEqual([false]);
    await ctx.env.sleep(2 * DAY_MS);
    expect((await handle.query(getRequestQuery)).state.stage).toBe(Stage.ExternalReferral);
    // One overdue notice and one reminder per referral, none from the stage clock.
    expect(count(id)).toMatchObject({ referral_overdue: 2, referral_reminder: 2 });
    expect(count(id).overdue).toBeUndefined();
    expect(store.snapshots.get(id)!.overdue).toBe(true);
    expect((await handle.describe()).searchAttributes.CtapOverdue).toEqual([true]);
    await decide(handle, 'record_referral_outcome', CTED, { referralId: 'ref-1', delivered: false, notes: 'Declined' });
    const view = await decide(handle, 'record_referral_outcome', CTED, {
      referralId: 'ref-2',
      delivered: true,
      notes: 'Delivered',
    });
    expect(view.state.stage).toBe(Stage.Closed);
    expect(view.upcoming).toEqual([]);
    await saveHistory(handle, 'external-referrals-overdue');
  });

  it('an urgent request runs on its own shorter row: overdue at 10 days, escalated at 15', async () => {
    const { handle, id } = await start({ deadlines: deadlinesFor(DEFAULT_DEADLINES, 'urgent') });
    await ctx.env.sleep(9 * DAY_MS);
    expect(count(id).overdue).toBeUndefined();
    await ctx.env.sleep(2 * DAY_MS);
    expect(count(id).overdue).toBe(1);
    await ctx.env.sleep(5 * DAY_MS);
    expect(count(id)).toMatchObject({ overdue: 1, deadline_reminder: 3, escalated: 1 });
    expect(store.snapshots.get(id)!.deadlines).toMatchObject({ urgency: 'urgent', timerRules: 2 });
    await saveHistory(handle, 'urgent-escalated');
  });
});
