import { WorkflowHandle } from '@temporalio/client';
import {
  Actor,
  DEFAULT_DEADLINES,
  DecisionPayloads,
  DecisionType,
  NewRequest,
  PlannedActivity,
  Role,
} from '@app/domain';
import { RequestView, decisionUpdate } from '@app/contracts';
import type { AssistanceRequestInput } from '../src/assistance-request.workflow';

export const CTED: Actor = { userId: 'u-cted', role: Role.CtedOfficer };
export const UNODC: Actor = { userId: 'u-unodc', role: Role.UnodcManager };
export const KENYA: Actor = { userId: 'u-ken', role: Role.MemberState, memberState: 'KEN' };
export const UGANDA: Actor = { userId: 'u-uga', role: Role.MemberState, memberState: 'UGA' };
export const TANZANIA: Actor = { userId: 'u-tza', role: Role.MemberState, memberState: 'TZA' };

let counter = 0;
export function uniqueRef(prefix = 'WF'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/**
 * `submittedAt` should be the test server's clock (`env.currentTimeMs()`): once a test has skipped
 * time the process clock is days behind it, and a request "submitted" then starts with overdue
 * clocks whose 1 ms timers fire while its decisions' workflow tasks are with the worker. The
 * time-skipping server then refuses the completion that cancels such a timer ("invalid history
 * builder state for action", temporalio/sdk-java#3088) and the run is stranded (seen under load,
 * where workflow tasks stay longer with the worker).
 */
export function requestInput(reference: string, submittedAt = Date.now(), memberState = 'KEN'): AssistanceRequestInput {
  const request: NewRequest = {
    requestId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    reference,
    title: 'Legislative assistance',
    memberState,
    region: 'Africa',
    origin: 'member_state',
    needs: [
      {
        id: 'need-1',
        thematicArea: 'legislative_incorporation',
        description: 'Review the draft bill',
        modalities: ['national_legislative_drafting_workshop'],
      },
      {
        id: 'need-2',
        thematicArea: 'countering_terrorist_financing',
        description: 'FIU training',
        modalities: ['national_training_workshop'],
      },
    ],
    submittedAt,
  };
  return { request, deadlines: DEFAULT_DEADLINES };
}

export function activity(key: string, overrides: Partial<PlannedActivity> = {}): PlannedActivity {
  return {
    key,
    title: `Workshop ${key}`,
    modality: 'national_legislative_drafting_workshop',
    thematicArea: 'legislative_incorporation',
    startDate: '2026-03-01',
    endDate: '2026-03-03',
    place: 'Nairobi',
    participatingStates: ['KEN'],
    partners: ['OHCHR'],
    budgetUsd: 20000,
    ...overrides,
  };
}

let decisions = 0;
export function decide<T extends DecisionType>(
  handle: WorkflowHandle,
  type: T,
  actor: Actor,
  payload: DecisionPayloads[T],
  decisionId = `d-${++decisions}`,
): Promise<RequestView> {
  return handle.executeUpdate(decisionUpdate(type), { args: [{ decisionId, type, actor, payload }] });
}

/** Drives a fresh request (from requestInput) to the delivery stage with one activity, fully funded. */
export async function driveToDelivery(handle: WorkflowHandle, keys: string[] = ['a1']): Promise<RequestView> {
  await decide(handle, 'refer_needs', CTED, {
    referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB mandate' }],
  });
  await decide(handle, 'propose_plan', UNODC, { activities: keys.map((k) => activity(k)) });
  await decide(handle, 'accept_plan', KENYA, { planVersion: 1 });
  await decide(handle, 'record_cted_consultation', UNODC, { summary: 'CTED consulted' });
  await decide(handle, 'record_funding', UNODC, {
    pledgeRef: `P-${handle.workflowId}`,
    donor: 'Norway',
    amountUsd: 20000 * keys.length,
  });
  return decide(handle, 'approve_plan', UNODC, {});
}
