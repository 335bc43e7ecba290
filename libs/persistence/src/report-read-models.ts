import { STAGE_STAYS_REBUILD_SQL } from './stage-stays';

/**
 * The reports' read models kept on write by statement-level triggers (request_stage_stays,
 * request_referrals, delivered_activities, request_event_facts, and the month summaries' staleness
 * markers): the triggers are made for the event store's small statements. A bulk load (the bench generator, the reports scale test) disables them, loads,
 * then derives every read model once, set-based: the same rows the triggers would have written.
 */
export const READ_MODEL_TRIGGERS: readonly [table: string, trigger: string][] = [
  ['request_events', 'request_events_stage_stays'],
  ['request_events', 'request_events_referrals'],
  ['assistance_requests', 'assistance_requests_referrals_insert'],
  ['assistance_requests', 'assistance_requests_referrals_update'],
  ['delivery_activities', 'delivery_activities_referrals_insert'],
  ['delivery_activities', 'delivery_activities_referrals_update'],
  ['delivery_activities', 'delivery_activities_delivered_insert'],
  ['delivery_activities', 'delivery_activities_delivered_update'],
  ['assistance_requests', 'assistance_requests_delivered_insert'],
  ['assistance_requests', 'assistance_requests_delivered_update'],
  ['request_events', 'request_events_delivered'],
  ['request_events', 'request_events_facts'],
  ['assistance_requests', 'assistance_requests_facts_insert'],
  ['assistance_requests', 'assistance_requests_facts_update'],
];

/** The month summaries' staleness marker triggers (migration ReportSummaries): rebuilt at the end instead. */
export const SUMMARY_MARKER_TRIGGERS: readonly [table: string, trigger: string][] = [
  ['delivered_activities', 'delivered_activities_stale_insert'],
  ['delivered_activities', 'delivered_activities_stale_delete'],
  ['delivered_activities', 'delivered_activities_stale_update'],
  ['request_stage_stays', 'request_stage_stays_stale_insert'],
  ['request_stage_stays', 'request_stage_stays_stale_delete'],
  ['request_stage_stays', 'request_stage_stays_stale_update'],
  ['member_states', 'member_states_stale_insert'],
  ['member_states', 'member_states_stale_delete'],
  ['member_states', 'member_states_stale_update'],
];

const TRIGGERS = [...READ_MODEL_TRIGGERS, ...SUMMARY_MARKER_TRIGGERS];

interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** Disables the read models' triggers (before a bulk load). */
export async function disableReadModelTriggers(db: Queryable): Promise<void> {
  for (const [table, trigger] of TRIGGERS) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
}

/** Enables the triggers again and derives every read model from the tables, set-based (after a bulk load). */
export async function enableReadModelTriggersAndRebuild(db: Queryable): Promise<void> {
  for (const [table, trigger] of TRIGGERS) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  // Statistics of the freshly loaded tables first: the derivations join them, and plans made for
  // empty tables (nested loops over sequential scans) would take hours.
  await db.query('ANALYZE request_events, assistance_requests, delivery_activities');
  await db.query(STAGE_STAYS_REBUILD_SQL);
  await db.query('SELECT request_referrals_rebuild()');
  await db.query('SELECT delivered_activities_rebuild()');
  await db.query('SELECT request_event_facts_rebuild()');
  // The month summaries last, from the rebuilt read models (their markers are cleared with them).
  await db.query('ANALYZE delivered_activities, request_stage_stays');
  await db.query('SELECT report_summaries_rebuild()');
}

/** Loads in bulk without the read models' triggers, then derives the read models at once. */
export async function withoutReadModelTriggers(db: Queryable, load: () => Promise<void>): Promise<void> {
  await disableReadModelTriggers(db);
  try {
    await load();
  } finally {
    await enableReadModelTriggersAndRebuild(db);
  }
}
