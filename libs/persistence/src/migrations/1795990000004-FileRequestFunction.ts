import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A submission in one round trip and one commit (issue 11, P3): `ctap_file_request` claims the
 * Idempotency-Key, files the request with its submission and its deadline configuration, and
 * records the response the API answers, as one statement. Before, the API ran 12 statements in
 * sequence over three commits (the claim and the request; the deadlines at the workflow's start;
 * the response after it).
 *
 * The guarantees are those of the transaction it replaces:
 * - the claim waits at most `p_lock_timeout_ms` for a concurrent call holding the same key (55P03
 *   past it); a key already claimed answers `key-claimed` and nothing is written;
 * - an unknown State answers `unknown-member-state` and leaves the key free (its claim is deleted
 *   in the same transaction, so a call waiting on it goes on as after a rollback);
 * - everything else is committed together or not at all.
 *
 * `response` is the summary the API answers (RequestSummaryDto, apps/api/src/requests/request.mapper.ts
 * `toSummary`, of the row as filed), stored with the claim for replays;
 * test/persistence-repositories.e2e-spec.ts checks it equals `toSummary` of the stored row.
 */
export class FileRequestFunction1795990000004 implements MigrationInterface {
  name = 'FileRequestFunction1795990000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ctap_file_request(
        p_user_id uuid, p_key text, p_body_hash text, p_id uuid, p_member_state text, p_thematic_areas text[],
        p_origin text, p_title text, p_submission jsonb, p_workflow_id_prefix text, p_urgent boolean,
        p_deadline_config jsonb, p_lock_timeout_ms integer)
      RETURNS TABLE (outcome text, id uuid, reference text, region text, submitted_at timestamptz, response json)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_region text;
        v_reference text;
        v_request assistance_requests%ROWTYPE;
        v_response json;
      BEGIN
        PERFORM set_config('lock_timeout', p_lock_timeout_ms::text, true);
        INSERT INTO idempotency_keys AS k (user_id, key, body_hash) VALUES (p_user_id, p_key, p_body_hash)
          ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'key-claimed'::text, NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, NULL::json;
          RETURN;
        END IF;
        SELECT m.region INTO v_region FROM member_states m WHERE m.iso3 = p_member_state;
        IF NOT FOUND THEN
          DELETE FROM idempotency_keys k WHERE k.user_id = p_user_id AND k.key = p_key;
          RETURN QUERY SELECT 'unknown-member-state'::text, NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, NULL::json;
          RETURN;
        END IF;
        v_reference := format('CTAP-%s-%s', extract(year FROM now() AT TIME ZONE 'UTC'),
                              lpad(nextval('request_reference_seq')::text, 6, '0'));
        INSERT INTO assistance_requests AS r (id, reference, member_state, region, thematic_areas, origin, title, stage,
                                              owner_role, submitted_by, submitted_at, workflow_id, state, urgent, deadline_config)
        VALUES (p_id, v_reference, p_member_state, v_region, p_thematic_areas, p_origin, p_title, 'cted_review',
                'cted_officer', p_user_id, now(), p_workflow_id_prefix || v_reference, NULL, p_urgent, p_deadline_config)
        RETURNING r.* INTO v_request;
        INSERT INTO request_submissions (request_id, body) VALUES (p_id, p_submission);
        v_response := json_build_object(
          'id', v_request.id,
          'reference', v_request.reference,
          'title', v_request.title,
          'memberState', rtrim(v_request.member_state),
          'region', v_request.region,
          'thematicAreas', v_request.thematic_areas,
          'origin', v_request.origin,
          'stage', v_request.stage,
          'outcome', v_request.outcome,
          'owner', v_request.owner_role,
          'overdue', v_request.overdue,
          'urgent', v_request.urgent,
          'nextDeadlineAt', to_char(v_request.next_deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'nextDeadlineKind', v_request.next_deadline_kind,
          'submittedAt', to_char(v_request.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'linkedFrom', v_request.linked_from,
          'assignee', NULL);
        UPDATE idempotency_keys k SET resource_ref = v_reference, response_status = 201, response_body = v_response::jsonb
         WHERE k.user_id = p_user_id AND k.key = p_key;
        RETURN QUERY SELECT 'filed'::text, v_request.id, v_request.reference::text, v_request.region::text,
                            v_request.submitted_at, v_response;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION ctap_file_request(uuid, text, text, uuid, text, text[], text, text, jsonb, text, boolean, jsonb, integer)`,
    );
  }
}
