import { Client, WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'crypto';
import { DEFAULT_DEADLINES, DecisionPayloads, DecisionType, NewRequest, Role } from '@app/domain';
import {
  WORKFLOW_TYPES,
  decisionUpdate,
  deliveryActivityWorkflowId,
  reportActivityDeliveredUpdate,
  requestWorkflowId,
} from '@app/contracts';
import type { AssistanceRequestWorkflow } from '@app/contracts';

export const CTED = { userId: 'e2e-cted', role: Role.CtedOfficer };
export const UNODC = { userId: 'e2e-unodc', role: Role.UnodcManager };
export const stateActor = (iso3: string) => ({ userId: `e2e-${iso3}`, role: Role.MemberState, memberState: iso3 });

export function newRequest(reference: string, memberState = 'KEN', region = 'Africa'): NewRequest {
  return {
    requestId: randomUUID(),
    reference,
    title: `Assistance for ${memberState}`,
    memberState,
    region,
    origin: 'member_state',
    needs: [
      {
        id: 'need-1',
        thematicArea: 'legislative_incorporation',
        description: 'Draft the counter-terrorism bill',
        modalities: ['national_legislative_drafting_workshop'],
      },
    ],
    submittedAt: Date.now(),
  };
}

export async function startRequest(
  client: Client,
  taskQueue: string,
  request: NewRequest,
): Promise<WorkflowHandle<AssistanceRequestWorkflow>> {
  return client.workflow.start<AssistanceRequestWorkflow>(WORKFLOW_TYPES.assistanceRequest, {
    taskQueue,
    workflowId: requestWorkflowId(request.reference),
    args: [{ request, deadlines: DEFAULT_DEADLINES }],
  });
}

export interface Step {
  decisionId: string;
  run(): Promise<unknown>;
}

/** The decisions that take a fresh one-need request to closure, each with a stable id. */
export function lifecycleSteps(client: Client, request: NewRequest): Step[] {
  const handle = client.workflow.getHandle(requestWorkflowId(request.reference));
  const ms = stateActor(request.memberState);
  const step = <T extends DecisionType>(type: T, actor: typeof CTED, payload: DecisionPayloads[T]): Step => {
    const decisionId = `${request.reference}:${type}`;
    return {
      decisionId,
      run: () =>
        handle.executeUpdate(decisionUpdate(type), {
          args: [{ decisionId, type, actor, payload }],
          updateId: decisionId,
        }),
    };
  };
  const activityKey = 'ws1';
  return [
    step('request_information', CTED, { questions: ['Which ministry drafts the bill?'] }),
    step('provide_information', ms, { answer: 'The Attorney General' }),
    step('refer_needs', CTED, {
      referrals: [{ needIds: ['need-1'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB legislative assistance' }],
    }),
    step('propose_plan', UNODC, {
      activities: [
        {
          key: activityKey,
          title: 'Drafting workshop',
          modality: 'national_legislative_drafting_workshop',
          thematicArea: 'legislative_incorporation',
          startDate: '2026-02-01',
          endDate: '2026-02-03',
          place: 'Capital',
          participatingStates: [request.memberState],
          partners: [],
          budgetUsd: 30000,
        },
      ],
    }),
    step('accept_plan', ms, { planVersion: 1 }),
    step('record_cted_consultation', UNODC, { summary: 'No overlap' }),
    step('record_funding', UNODC, { pledgeRef: `${request.reference}-P1`, donor: 'Canada', amountUsd: 30000 }),
    step('approve_plan', UNODC, {}),
    {
      decisionId: `${request.reference}:activity-delivered`,
      run: () =>
        client.workflow
          .getHandle(deliveryActivityWorkflowId(request.reference, activityKey))
          .executeUpdate(reportActivityDeliveredUpdate, {
            args: [
              {
                decisionId: `${request.reference}:activity-delivered`,
                actor: UNODC,
                deliveredOn: '2026-02-03',
                participantsByState: { [request.memberState]: 30 },
                officialsTrainedByProfession: { prosecutor: 18, judge: 12 },
                outputs: ['draft bill'],
              },
            ],
            updateId: `${request.reference}:activity-delivered`,
          }),
    },
    step('complete_delivery', UNODC, {}),
    step('record_indicators', UNODC, {
      laws: [{ title: 'Counter-Terrorism Act', status: 'drafted', date: '2026-05-01' }],
      officialsTrained: 30,
    }),
    step('submit_evaluation', ms, { relevance: 5, usefulness: 5, comments: 'Useful' }),
  ];
}
