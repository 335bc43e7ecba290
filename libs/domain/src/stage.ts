/** Where a request stands in its lifecycle. Values are stable: they are stored and searched. */
export enum Stage {
  CtedReview = 'cted_review',
  AwaitingInformation = 'awaiting_information',
  ExternalReferral = 'external_referral',
  UnodcPlanning = 'unodc_planning',
  AwaitingFunding = 'awaiting_funding',
  Delivery = 'delivery',
  FollowUpEvaluation = 'follow_up_evaluation',
  Closed = 'closed',
}

export enum Outcome {
  Completed = 'completed',
  Declined = 'declined',
  Withdrawn = 'withdrawn',
  Lapsed = 'lapsed',
  ReferredExternallyDelivered = 'referred_externally_delivered',
  ReferredExternallyNotDelivered = 'referred_externally_not_delivered',
  EvaluationNotReceived = 'evaluation_not_received',
}

export enum Role {
  MemberState = 'member_state',
  CtedOfficer = 'cted_officer',
  UnodcManager = 'unodc_manager',
  /** A CTED officer who also assigns CTED's requests to officers; escalations reach them. */
  CtedSupervisor = 'cted_supervisor',
  /** A UNODC manager who also assigns UNODC's requests to managers; escalations reach them. */
  UnodcSupervisor = 'unodc_supervisor',
  Admin = 'admin',
  /** Timers and automatic moves of the workflow itself. */
  System = 'system',
}

/** Who is expected to act next in each stage: drives work queues and overdue clocks. */
export const STAGE_OWNER: Record<Stage, Role | null> = {
  [Stage.CtedReview]: Role.CtedOfficer,
  [Stage.AwaitingInformation]: Role.MemberState,
  [Stage.ExternalReferral]: Role.CtedOfficer,
  [Stage.UnodcPlanning]: Role.UnodcManager,
  [Stage.AwaitingFunding]: Role.UnodcManager,
  [Stage.Delivery]: Role.UnodcManager,
  [Stage.FollowUpEvaluation]: Role.MemberState,
  [Stage.Closed]: null,
};
