/**
 * Fills request_stage_stays from the event log (what the StageStays migration and the trigger
 * write, set-based). For bulk loads: insert events with the trigger disabled, then call this; the
 * per-statement trigger is made for the event store's small inserts, and a bulk statement on a
 * table whose statistics predate it can make its per-row lookups very slow.
 */
export const STAGE_STAYS_REBUILD_SQL = `
  INSERT INTO request_stage_stays (request_id, seq, reference, stage, entered_at, left_at)
  SELECT t.request_id, t.seq, coalesce(r.reference, s.payload ->> 'reference'), t.stage, t.entered_at, t.occurred_at
    FROM (SELECT p.request_id, p.stream, p.seq, p.type, p.occurred_at, p.payload ->> 'from' AS stage,
                 lag(p.occurred_at) OVER (PARTITION BY p.stream ORDER BY p.seq) AS entered_at
            FROM request_events p WHERE p.type IN ('submitted', 'stage_changed')) t
    LEFT JOIN assistance_requests r ON r.id = t.request_id
    LEFT JOIN request_events s ON s.stream = t.stream AND s.seq = 1 AND s.type = 'submitted'
   WHERE t.type = 'stage_changed' AND t.entered_at IS NOT NULL
  ON CONFLICT DO NOTHING`;
