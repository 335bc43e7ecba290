/** Stable codes the API uses; their labels are in the translation files. */
export const STAGES = [
  'cted_review',
  'awaiting_information',
  'external_referral',
  'unodc_planning',
  'awaiting_funding',
  'delivery',
  'follow_up_evaluation',
  'closed',
] as const;

export const OUTCOMES = [
  'completed',
  'declined',
  'withdrawn',
  'lapsed',
  'referred_externally_delivered',
  'referred_externally_not_delivered',
  'evaluation_not_received',
] as const;

export const ROLES = [
  'member_state',
  'cted_officer',
  'unodc_manager',
  'cted_supervisor',
  'unodc_supervisor',
  'admin',
  'system',
] as const;
