import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivered activities as the delivery reports read them (states-assisted, activities-by-modality,
 * participants): one narrow row per delivered `delivery_activities` row with its request's State,
 * region and reference, its delivery date, its modality (from the `activity_scheduled` event, seq 1
 * of the activity's stream), its participants and officials trained, and its drill-down item. Kept
 * in the same transaction as the writes it depends on by statement-level triggers on
 * delivery_activities, assistance_requests and request_events, each recomputing the rows of the
 * requests its statement touched; so the reports read no jsonb report, probe no event and join no
 * request (docs/PERFORMANCE.md, P5). The table is generated; functions, triggers and backfill are
 * hand-written.
 */
/** A jsonb object's entries with a positive whole-number value, as two arrays (keys, counts). */
const POSITIVE_COUNTS = (obj: string) =>
  `(SELECT coalesce(array_agg(c.key), '{}') AS keys, coalesce(array_agg((c.value)::numeric::bigint), '{}') AS ns
      FROM jsonb_each(CASE WHEN jsonb_typeof(${obj}) = 'object' THEN ${obj} ELSE '{}'::jsonb END) AS c
     WHERE jsonb_typeof(c.value) = 'number' AND (c.value)::numeric > 0)`;

const ACTIVITIES_OF = (requestFilter: string) => `
  INSERT INTO delivered_activities (request_id, key, activity_ref, reference, member_state, region, delivered_on, modality,
                                    participant_states, participants, professions, officials, item)
  SELECT d.request_id, d.key, d.activity_ref, d.reference, r.member_state, r.region, d.report ->> 'deliveredOn',
         coalesce(s.payload ->> 'modality', 'unknown'), ps.keys, ps.ns, op.keys, op.ns,
         concat_ws(chr(31), coalesce(d.reference::text, ''), coalesce(d.key::text, ''))
    FROM delivery_activities d
    CROSS JOIN LATERAL ${POSITIVE_COUNTS(`d.report -> 'participantsByState'`)} ps
    CROSS JOIN LATERAL ${POSITIVE_COUNTS(`d.report -> 'officialsTrainedByProfession'`)} op
    LEFT JOIN assistance_requests r ON r.id = d.request_id
    LEFT JOIN request_events s
      ON s.stream = CASE WHEN d.activity_ref LIKE 'shared/%' THEN 'shared-activity/' || substr(d.activity_ref, 8) ELSE d.request_id::text || '/activity/' || d.key END
     AND s.seq = 1 AND s.type = 'activity_scheduled'
   WHERE d.status = 'delivered' AND ${requestFilter}
  ON CONFLICT DO NOTHING`;

export class DeliveredActivities1795990000001 implements MigrationInterface {
  name = 'DeliveredActivities1795990000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delivered_activities" ("request_id" uuid NOT NULL, "key" character varying(80) NOT NULL, "activity_ref" text NOT NULL, "reference" character varying(40) NOT NULL, "member_state" character(3), "region" character varying(60), "delivered_on" text, "modality" text NOT NULL, "participant_states" text array NOT NULL, "participants" bigint array NOT NULL, "professions" text array NOT NULL, "officials" bigint array NOT NULL, "item" text COLLATE "C" NOT NULL, CONSTRAINT "PK_delivered_activities" PRIMARY KEY ("request_id", "key"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_delivered_activities_on" ON "delivered_activities" ("delivered_on") `);
    await queryRunner.query(
      `CREATE INDEX "idx_delivered_activities_state" ON "delivered_activities" ("member_state", "delivered_on") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_delivered_activities_ref" ON "delivered_activities" ("activity_ref") `);
    await queryRunner.query(`
      CREATE FUNCTION delivered_activities_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(cardinality(ids), 0) = 0 THEN RETURN; END IF;
        DELETE FROM delivered_activities WHERE request_id = ANY (ids);
        ${ACTIVITIES_OF('d.request_id = ANY (ids)')};
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION delivered_activities_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM delivered_activities;
        ${ACTIVITIES_OF('true')};
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION delivered_activities_on_activities() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM delivered_activities_refresh(ARRAY(SELECT DISTINCT n.request_id FROM inserted n WHERE n.status = 'delivered'));
        ELSE
          PERFORM delivered_activities_refresh(ARRAY(
            SELECT DISTINCT n.request_id FROM inserted n JOIN deleted o ON o.request_id = n.request_id AND o.key = n.key
             WHERE (n.status = 'delivered' OR o.status = 'delivered')
               AND (n.status, n.report, n.reference, n.activity_ref) IS DISTINCT FROM (o.status, o.report, o.reference, o.activity_ref)));
        END IF;
        RETURN NULL;
      END $$`);
    // The request's State, region or reference: only requests with delivered activities.
    await queryRunner.query(`
      CREATE FUNCTION delivered_activities_on_requests() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM delivered_activities_refresh(ARRAY(
            SELECT n.id FROM inserted n WHERE EXISTS (SELECT 1 FROM delivery_activities d WHERE d.request_id = n.id AND d.status = 'delivered')));
        ELSE
          PERFORM delivered_activities_refresh(ARRAY(
            SELECT n.id FROM inserted n JOIN deleted o ON o.id = n.id
             WHERE (n.member_state IS DISTINCT FROM o.member_state OR n.region IS DISTINCT FROM o.region OR n.reference IS DISTINCT FROM o.reference)
               AND EXISTS (SELECT 1 FROM delivered_activities a WHERE a.request_id = n.id)));
        END IF;
        RETURN NULL;
      END $$`);
    // The activity's planned modality (its stream's first event), should it come after the row.
    await queryRunner.query(`
      CREATE FUNCTION delivered_activities_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM delivered_activities_refresh(ARRAY(
          SELECT DISTINCT d.request_id FROM inserted n JOIN delivery_activities d
              ON n.stream = CASE WHEN d.activity_ref LIKE 'shared/%' THEN 'shared-activity/' || substr(d.activity_ref, 8) ELSE d.request_id::text || '/activity/' || d.key END
           WHERE n.seq = 1 AND n.type = 'activity_scheduled' AND d.status = 'delivered'));
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER delivery_activities_delivered_insert AFTER INSERT ON "delivery_activities" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION delivered_activities_on_activities()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER delivery_activities_delivered_update AFTER UPDATE ON "delivery_activities" REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION delivered_activities_on_activities()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER assistance_requests_delivered_insert AFTER INSERT ON "assistance_requests" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION delivered_activities_on_requests()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER assistance_requests_delivered_update AFTER UPDATE ON "assistance_requests" REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION delivered_activities_on_requests()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER request_events_delivered AFTER INSERT ON "request_events" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION delivered_activities_on_events()`,
    );
    await queryRunner.query(`SELECT delivered_activities_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "request_events_delivered" ON "request_events"`);
    await queryRunner.query(`DROP TRIGGER "assistance_requests_delivered_update" ON "assistance_requests"`);
    await queryRunner.query(`DROP TRIGGER "assistance_requests_delivered_insert" ON "assistance_requests"`);
    await queryRunner.query(`DROP TRIGGER "delivery_activities_delivered_update" ON "delivery_activities"`);
    await queryRunner.query(`DROP TRIGGER "delivery_activities_delivered_insert" ON "delivery_activities"`);
    await queryRunner.query(`DROP FUNCTION delivered_activities_on_events()`);
    await queryRunner.query(`DROP FUNCTION delivered_activities_on_requests()`);
    await queryRunner.query(`DROP FUNCTION delivered_activities_on_activities()`);
    await queryRunner.query(`DROP FUNCTION delivered_activities_rebuild()`);
    await queryRunner.query(`DROP FUNCTION delivered_activities_refresh(uuid[])`);
    await queryRunner.query(`DROP TABLE "delivered_activities"`);
  }
}
