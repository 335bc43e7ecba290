import './support/register-paths';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { requestWorkflowId } from '@app/contracts';
import { Role, SYSTEM_ACTOR } from '@app/domain';
import {
  AssistanceRequestEntity,
  DatabaseProbe,
  DeliveryActivityRepository,
  EmailOutboxRepository,
  EventStore,
  FileResult,
  NotificationRepository,
  ReferenceDataRepository,
  ReportRepository,
  RequestRepository,
  SessionRepository,
  UserRepository,
  WebhookRepository,
  dataSourceOptions,
} from '@app/persistence';
import { listRequestsSql } from '../apps/api/src/requests/list-requests.sql';
import { workQueueSql } from '../apps/api/src/requests/work-queue.sql';
import { toSummary } from '../apps/api/src/requests/request.mapper';
import { REPORTS, REPORT_TRANSACTION_SETTINGS, periodOf } from '../apps/api/src/reports/report-queries';
import { unique } from './api-fixtures';
import { readTestEnv } from './support/test-env';

jest.setTimeout(60_000);

/** token_hash is char(64): a sha256 in hex. */
const [HASH_1, HASH_2, HASH_3] = ['1', '2', '3'].map((c) => c.repeat(64));

/**
 * Every repository statement (libs/persistence/src/repositories) on the real, migrated schema:
 * what each writes and reads, row shapes included. No API, no workflows.
 */
describe('persistence repositories on Postgres', () => {
  let ds: DataSource;
  let users: UserRepository;
  let requests: RequestRepository;

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(readTestEnv().databaseUrl)).initialize();
    users = new UserRepository(ds);
    requests = new RequestRepository(ds);
  });
  afterAll(() => ds?.destroy());

  const newUser = async (role = 'member_state', memberState: string | null = 'KEN') => {
    const row = await users.create({
      email: `${unique('Repo')}@CTAP.local`,
      displayName: 'Repository test',
      passwordHash: '$argon2id$not-a-real-hash',
      role,
      memberState,
    });
    return row!;
  };

  /** Files a request for KEN through the repository (no workflow), as the API does. */
  const fileRequest = async (userId: string, memberState = 'KEN', urgent = false) => {
    const key = unique('key');
    const result = await requests.file({
      userId,
      key,
      bodyHash: 'h'.repeat(64),
      id: randomUUID(),
      memberState,
      thematicAreas: ['legislative'],
      origin: 'member_state',
      title: unique('Repository request'),
      submission: { title: 't', needs: [{ thematicArea: 'legislative', description: 'd', modalities: [] }] },
      workflowIdPrefix: requestWorkflowId(''),
      lockTimeoutMs: 5_000,
      urgent,
      deadlineConfig: { reviewDays: urgent ? 2 : 7 },
    });
    return { key, result };
  };

  /**
   * Work queues put urgent requests first; other files' tests page whole queues of the shared test
   * database expecting their own order, so a request made urgent here is made routine again.
   */
  const routineAgain = (reference: string) =>
    ds.query('UPDATE assistance_requests SET urgent = false, next_deadline_at = NULL WHERE reference = $1', [
      reference,
    ]);

  /** A request filed for KEN with `count` note events on its own stream, and the events' ids. */
  const requestWithNotes = async (userId: string, count: number) => {
    const reference = ((await fileRequest(userId)).result as { reference: string }).reference;
    const request = (await requests.byReference(reference))!;
    await new EventStore(ds).persist({
      requestId: request.id,
      stream: request.id,
      firstSeq: 1,
      events: Array.from({ length: count }, (_, i) => ({
        type: 'note_added',
        actor: { userId, role: Role.MemberState },
        at: new Date().toISOString(),
        payload: { i: i + 1 },
      })),
    });
    const events: { id: string }[] = await ds.query(
      'SELECT id::text AS id FROM request_events WHERE stream = $1 ORDER BY seq',
      [request.id],
    );
    return { reference, request, events };
  };

  describe('UserRepository', () => {
    it('creates once per e-mail (case-insensitive), lists by keyset, changes role, deactivates', async () => {
      const u = await newUser();
      expect(u).toMatchObject({ display_name: 'Repository test', role: 'member_state', active: true });
      expect(u.email).toBe(u.email.toLowerCase());
      expect(u.cursor_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(Object.keys(u)).not.toContain('password_hash');
      expect(
        await users.create({
          email: u.email.toUpperCase(),
          displayName: 'x',
          passwordHash: 'x',
          role: 'admin',
          memberState: null,
        }),
      ).toBeUndefined();

      const first = await users.list({ memberState: 'KEN', limit: 1 });
      expect(first).toHaveLength(2);
      const next = await users.list({
        memberState: 'KEN',
        after: { at: first[0].cursor_at, id: first[0].id },
        limit: 100,
      });
      expect(next.map((r) => r.id)).not.toContain(first[0].id);
      expect(next.map((r) => r.id)).toContain(u.id);
      expect(
        (await users.list({ role: 'member_state', active: true, limit: 500 })).every((r) => r.role === 'member_state'),
      ).toBe(true);

      expect(await users.withEmail(u.email.toUpperCase())).toMatchObject({
        id: u.id,
        passwordHash: '$argon2id$not-a-real-hash',
      });
      expect(await users.withEmail('nobody@ctap.local')).toBeNull();
      expect(await users.memberStateExists('KEN')).toBe(true);
      expect(await users.memberStateExists('XXX')).toBe(false);
      expect(await users.changeRole(u.id, 'cted_officer', null)).toMatchObject({
        role: 'cted_officer',
        member_state: null,
      });
      expect(await users.changeRole(randomUUID(), 'admin', null)).toBeUndefined();

      await users.setPreferredLanguage(u.id, 'fr');
      expect(await users.me(u.id)).toMatchObject({ id: u.id, preferred_language: 'fr', active: true });

      const sessions = new SessionRepository(ds);
      const sid = await sessions.open(u.id, HASH_1, 60_000);
      expect(await users.principal(u.id, sid)).toMatchObject({
        role: 'cted_officer',
        active: true,
        session_ended: false,
      });
      expect(await users.principal(u.id, null)).toMatchObject({ session_ended: false });
      expect(await users.deactivate(u.id)).toMatchObject({ id: u.id, active: false });
      expect(await users.principal(u.id, sid)).toMatchObject({ active: false, session_ended: true });
      expect(await users.deactivate(randomUUID())).toBeUndefined();
    });

    it("names a request holder, reads an active user's role, lists the users a request may be assigned to", async () => {
      const officer = await newUser('cted_officer', null);
      const manager = await newUser('unodc_manager', null);
      expect(await users.assignee(officer.id)).toEqual({ assignee_id: officer.id, assignee_name: 'Repository test' });
      expect(await users.assignee(randomUUID())).toBeUndefined();
      expect(await users.submitter(officer.id)).toEqual({ displayName: 'Repository test', role: 'cted_officer' });
      expect(await users.submitter(randomUUID())).toBeUndefined();
      expect(await users.activeRole(officer.id)).toEqual({ id: officer.id, role: 'cted_officer' });

      const cted = await users.assignable(['cted_officer', 'cted_supervisor']);
      expect(cted.map((u) => u.id)).toContain(officer.id);
      expect(cted.map((u) => u.id)).not.toContain(manager.id);
      expect(cted.every((u) => ['cted_officer', 'cted_supervisor'].includes(u.role))).toBe(true);
      expect(cted.find((u) => u.id === officer.id)).toEqual({
        id: officer.id,
        displayName: 'Repository test',
        role: 'cted_officer',
      });
      const names = cted.map((u) => u.displayName);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

      await users.deactivate(officer.id);
      expect(await users.activeRole(officer.id)).toBeUndefined();
      expect((await users.assignable(['cted_officer'])).map((u) => u.id)).not.toContain(officer.id);
      // A deactivated holder is still named on the requests it holds.
      expect(await users.assignee(officer.id)).toMatchObject({ assignee_id: officer.id });
    });
  });

  describe('SessionRepository', () => {
    it('opens, locks and rotates, revokes and signs out', async () => {
      const u = await newUser();
      const sessions = new SessionRepository(ds);
      const sid = await sessions.open(u.id, HASH_1, 3_600_000);
      const locked = await sessions.rotation(async (tx) => {
        const s = await tx.lock(sid, 30, 10);
        await tx.rotate(sid, HASH_2);
        return { s, me: await tx.me(u.id) };
      });
      expect(locked.s).toMatchObject({
        id: sid,
        user_id: u.id,
        token_hash: HASH_1,
        revoked_at: null,
        active: true,
        expired: false,
        idle: false,
        in_grace: false, // never rotated
      });
      expect(Number(locked.s!.remaining_ms)).toBeGreaterThan(3_500_000);
      expect(locked.me).toMatchObject({ id: u.id });
      expect(await sessions.rotation((tx) => tx.lock(sid, 30, 10))).toMatchObject({
        token_hash: HASH_2,
        in_grace: true,
      });
      expect(await sessions.rotation((tx) => tx.lock(sid, 30, 0))).toMatchObject({ in_grace: false });
      await ds.query(`UPDATE user_sessions SET rotated_at = now() - interval '11 seconds' WHERE id = $1`, [sid]);
      expect(await sessions.rotation((tx) => tx.lock(sid, 30, 10))).toMatchObject({ in_grace: false });
      expect(await sessions.rotation((tx) => tx.lock(randomUUID(), 30, 10))).toBeUndefined();

      await sessions.rotation((tx) => tx.revoke(sid, 'idle'));
      const [revoked] = await ds.query('SELECT revoked_reason FROM user_sessions WHERE id = $1', [sid]);
      expect(revoked.revoked_reason).toBe('idle');

      const other = await sessions.open(u.id, HASH_3, 60_000);
      await sessions.signOut(other);
      await sessions.signOut(other);
      const [out] = await ds.query('SELECT revoked_reason FROM user_sessions WHERE id = $1', [other]);
      expect(out.revoked_reason).toBe('signed_out');
    });
  });

  describe('RequestRepository', () => {
    it('files a request with its key claim, refuses an unknown State without keeping the claim, replays', async () => {
      const u = await newUser();
      const { key, result } = await fileRequest(u.id);
      expect(result).toMatchObject({ filed: true, reference: expect.stringMatching(/^CTAP-\d{4}-\d{6}$/) });
      const filed = result as Extract<FileResult, { filed: true }>;
      const reference = filed.reference;
      const row = await requests.byReference(reference);
      expect(row).toMatchObject({
        reference,
        stage: 'cted_review',
        ownerRole: 'cted_officer',
        workflowId: requestWorkflowId(reference),
        submittedBy: u.id,
        deadlineConfig: { reviewDays: 7 },
        lastEventSeq: 0,
      });
      // byReference maps the row by hand: every column as TypeORM's own hydration gives it. The row
      // is shared with later test files (the database is): put back what was changed.
      const [before] = await ds.query(
        'SELECT state, next_deadline_at, next_deadline_kind, overdue FROM assistance_requests WHERE reference = $1',
        [reference],
      );
      await ds.query(
        `UPDATE assistance_requests SET state = '{"stage":"cted_review","needs":[{"id":"need-1"}]}', assignee_id = NULL,
                next_deadline_at = now(), next_deadline_kind = 'owner_reminder', overdue = true WHERE reference = $1`,
        [reference],
      );
      const typeorm = await ds.getRepository(AssistanceRequestEntity).findOneByOrFail({ reference });
      expect({ ...(await requests.byReference(reference)) }).toEqual({ ...typeorm });
      expect(Object.keys((await requests.byReference(reference))!).sort()).toEqual(Object.keys(typeorm).sort());
      await ds.query(
        `UPDATE assistance_requests SET state = $2, next_deadline_at = $3, next_deadline_kind = $4, overdue = $5
          WHERE reference = $1`,
        [reference, before.state, before.next_deadline_at, before.next_deadline_kind, before.overdue],
      );
      // The response is the API's summary of the row as filed (toSummary), stored with the claim in
      // the same commit; the start row is what fixDeadlinesForStart would read.
      expect(filed.response).toEqual(toSummary(row!));
      expect(JSON.stringify(filed.response)).toBe(JSON.stringify(toSummary(row!)));
      expect(await requests.claim(u.id, key)).toEqual({
        body_hash: 'h'.repeat(64),
        resource_ref: reference,
        response_status: 201,
        response_body: toSummary(row!),
        last_event_seq: 0,
      });
      const { last_event_seq: _seq, ...start } = (await requests.fixDeadlinesForStart(reference, {
        routine: {},
        urgent: {},
      }))!;
      expect({ ...filed.start, member_state: filed.start.member_state.padEnd(3) }).toMatchObject(start);

      const again = await requests.file({ ...(await fileArgs(u.id, key)) });
      expect(again).toEqual({ filed: false, why: 'key-claimed' });

      const unknown = await fileRequest(u.id, 'XXX');
      expect(unknown.result).toEqual({ filed: false, why: 'unknown-member-state' });
      expect(await requests.claim(u.id, unknown.key)).toBeUndefined();
      // The key is free: the same key files once the State is right.
      const retried = await requests.file({ ...(await fileArgs(u.id, unknown.key)) });
      expect(retried).toMatchObject({ filed: true });

      // A later answer does not replace the first one.
      await requests.recordResponse(u.id, key, 500, { other: true });
      expect(await requests.claim(u.id, key)).toMatchObject({ response_status: 201, response_body: { reference } });
      expect(await requests.byReference('CTAP-1900-000000')).toBeNull();
    });

    it('records the response of a claim filed without one (an older release) once', async () => {
      const u = await newUser();
      const { key } = await fileRequest(u.id);
      await ds.query(
        'UPDATE idempotency_keys SET response_status = NULL, response_body = NULL WHERE user_id = $1 AND key = $2',
        [u.id, key],
      );
      await requests.recordResponse(u.id, key, 201, { reference: 'first' });
      await requests.recordResponse(u.id, key, 500, { other: true });
      expect(await requests.claim(u.id, key)).toMatchObject({
        response_status: 201,
        response_body: { reference: 'first' },
      });
    });

    it('waits for a concurrent call holding the key, at most lockTimeoutMs (55P03), then answers key-claimed', async () => {
      const u = await newUser();
      const key = unique('held');
      const runner = ds.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`INSERT INTO idempotency_keys (user_id, key, body_hash) VALUES ($1, $2, $3)`, [
          u.id,
          key,
          'h'.repeat(64),
        ]);
        const t0 = Date.now();
        await expect(requests.file({ ...(await fileArgs(u.id, key)), lockTimeoutMs: 300 })).rejects.toMatchObject({
          code: '55P03',
        });
        expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
        const waiting = requests.file({ ...(await fileArgs(u.id, key)), lockTimeoutMs: 5_000 });
        await new Promise((r) => setTimeout(r, 100));
        await runner.commitTransaction();
        expect(await waiting).toEqual({ filed: false, why: 'key-claimed' });

        // A claim rolled back (the first call failed) leaves the key to the waiting call.
        const other = unique('rolled-back');
        await runner.startTransaction();
        await runner.query(`INSERT INTO idempotency_keys (user_id, key, body_hash) VALUES ($1, $2, $3)`, [
          u.id,
          other,
          'h'.repeat(64),
        ]);
        const waiter = requests.file({ ...(await fileArgs(u.id, other)), lockTimeoutMs: 5_000 });
        await new Promise((r) => setTimeout(r, 100));
        await runner.rollbackTransaction();
        expect(await waiter).toMatchObject({ filed: true });
        // The lock timeout was the statement's own: the connection's setting is back to the default.
        expect((await ds.query('SHOW lock_timeout'))[0].lock_timeout).toBe('0');
      } finally {
        await runner.release();
      }
    });

    it('takes over only an orphan claim older than the bound', async () => {
      const u = await newUser();
      const key = unique('orphan');
      await ds.query(
        `INSERT INTO idempotency_keys (user_id, key, body_hash, created_at) VALUES ($1, $2, 'h', now() - interval '2 minutes')`,
        [u.id, key],
      );
      expect(await requests.takeOverOrphanClaim(u.id, key, 3600)).toBe(false);
      expect(await requests.takeOverOrphanClaim(u.id, key, 60)).toBe(true);
      expect(await requests.claim(u.id, key)).toBeUndefined();
    });

    it('fixes the deadline configuration once, lists unstarted requests, reads history, follow-ups and decisions', async () => {
      const u = await newUser();
      const { result } = await fileRequest(u.id);
      const reference = (result as { reference: string }).reference;
      // Filed with its configuration; one filed without (an older release) gets it at its start.
      expect(await requests.byReference(reference)).toMatchObject({ deadlineConfig: { reviewDays: 7 } });
      await ds.query('UPDATE assistance_requests SET deadline_config = NULL WHERE reference = $1', [reference]);
      const start = await requests.fixDeadlinesForStart(reference, {
        routine: { reviewDays: 7 },
        urgent: { reviewDays: 2 },
      });
      expect(start).toMatchObject({
        reference,
        member_state: 'KEN',
        origin: 'member_state',
        last_event_seq: 0,
        deadline_config: { reviewDays: 7 },
      });
      expect(start!.body).toMatchObject({ title: 't' });
      expect(
        (await requests.fixDeadlinesForStart(reference, { routine: { reviewDays: 99 }, urgent: {} }))!.deadline_config,
      ).toEqual({ reviewDays: 7 });
      expect(await requests.fixDeadlinesForStart('CTAP-1900-000000', { routine: {}, urgent: {} })).toBeUndefined();

      // An urgent request gets the urgent row.
      const urgent = ((await fileRequest(u.id, 'KEN', true)).result as { reference: string }).reference;
      await ds.query('UPDATE assistance_requests SET deadline_config = NULL WHERE reference = $1', [urgent]);
      expect(await requests.byReference(urgent)).toMatchObject({ urgent: true });
      expect(await requests.byReference(reference)).toMatchObject({ urgent: false });
      expect(
        (await requests.fixDeadlinesForStart(urgent, { routine: { reviewDays: 7 }, urgent: { reviewDays: 2 } }))!
          .deadline_config,
      ).toEqual({ reviewDays: 2 });
      await routineAgain(urgent);

      await ds.query(`UPDATE assistance_requests SET created_at = now() - interval '10 minutes' WHERE reference = $1`, [
        reference,
      ]);
      expect(await requests.unstarted(60, 100_000)).toContain(reference);
      expect(await requests.unstarted(3600, 100_000)).not.toContain(reference);

      const row = (await requests.byReference(reference))!;
      await new EventStore(ds).persist({
        requestId: row.id,
        stream: row.id,
        firstSeq: 1,
        events: [
          {
            type: 'note_added',
            actor: { userId: u.id, role: Role.MemberState, memberState: 'KEN' },
            at: new Date().toISOString(),
            decisionId: `${u.id}:d-1`,
            payload: { text: 'hello' },
          },
        ],
      });
      const history = await requests.history(row.id);
      expect(history).toEqual([
        expect.objectContaining({
          seq: 1,
          stream: row.id,
          type: 'note_added',
          actor_name: 'Repository test',
          payload: { text: 'hello' },
        }),
      ]);
      expect(await requests.decisionRecorded(row.id, `${u.id}:d-1`)).toBe(true);
      expect(await requests.decisionRecorded(row.id, `${u.id}:d-2`)).toBe(false);
      expect(await requests.state(row.id)).toBeNull();

      const followUp = await fileRequest(u.id);
      const followRef = (followUp.result as { reference: string }).reference;
      await ds.query('UPDATE assistance_requests SET linked_from = $1 WHERE reference = $2', [reference, followRef]);
      expect(await requests.followUps(reference)).toEqual([{ reference: followRef, stage: 'cted_review' }]);
    });

    it('reads pages of the list and work-queue queries as summaries with their cursor', async () => {
      const u = await newUser();
      const refs: string[] = [];
      for (let i = 0; i < 3; i++)
        refs.push(((await fileRequest(u.id, 'UGA')).result as { reference: string }).reference);
      const page = await requests.summaries(
        listRequestsSql({ role: 'member_state', memberState: 'UGA' }, { limit: 2 }),
      );
      expect(page).toHaveLength(3);
      expect(page[0].request.reference).toBe(refs[2]);
      expect(page[0].request).toMatchObject({
        memberState: 'UGA',
        stage: 'cted_review',
        ownerRole: 'cted_officer',
        overdue: false,
      });
      expect(page[0].request).not.toHaveProperty('state');
      expect(page[0].cursorAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

      const queue = await requests.summaries(workQueueSql({ role: 'cted_officer' }, { limit: 1000 }));
      expect(queue.map((r) => r.request.reference)).toEqual(expect.arrayContaining(refs));
      expect(queue.every((r) => r.request.ownerRole === 'cted_officer' && r.request.stage !== 'closed')).toBe(true);
      const mine = await requests.summaries(workQueueSql({ role: 'member_state', memberState: 'UGA' }, { limit: 10 }));
      expect(mine.map((r) => r.request.reference)).not.toEqual(expect.arrayContaining(refs));
    });

    it('reads the holder, the urgency and the sort keys of summaries; filters and orders by them', async () => {
      const u = await newUser();
      const officer = await newUser('cted_officer', null);
      const routine = ((await fileRequest(u.id, 'UGA')).result as { reference: string }).reference;
      const urgent = ((await fileRequest(u.id, 'UGA', true)).result as { reference: string }).reference;
      await ds.query('UPDATE assistance_requests SET assignee_id = $1 WHERE reference = $2', [officer.id, routine]);
      const staff = { role: 'cted_officer', userId: officer.id };

      const held = await requests.summaries(listRequestsSql(staff, { assignee: 'me', limit: 10 }));
      expect(held.map((r) => r.request.reference)).toEqual([routine]);
      expect(held[0].request).toMatchObject({ assigneeId: officer.id, urgent: false });
      expect(held[0].assigneeName).toBe('Repository test');
      const byId = await requests.summaries(listRequestsSql(staff, { assignee: officer.id, limit: 10 }));
      expect(byId.map((r) => r.request.reference)).toEqual([routine]);
      const unassigned = await requests.summaries(
        listRequestsSql(staff, { memberState: 'UGA', assignee: 'unassigned', limit: 1000 }),
      );
      expect(unassigned.map((r) => r.request.reference)).toContain(urgent);
      expect(unassigned.map((r) => r.request.reference)).not.toContain(routine);
      expect(unassigned.every((r) => r.request.assigneeId === null && r.assigneeName === null)).toBe(true);

      const byReference = await requests.summaries(
        listRequestsSql({ role: 'member_state', memberState: 'UGA' }, { sort: 'reference', limit: 1000 }),
      );
      const refs = byReference.map((r) => r.request.reference);
      expect(refs).toEqual([...refs].sort());
      expect(byReference.find((r) => r.request.reference === routine)!.sortKey).toEqual([routine]);
      expect(byReference[0].cursorAt).toBeNull();

      // Urgent requests first in the work queue, whatever their deadlines; the cursor carries the urgency.
      await ds.query(
        `UPDATE assistance_requests SET next_deadline_at = now() + interval '1 day' WHERE reference = $1`,
        [routine],
      );
      await ds.query(
        `UPDATE assistance_requests SET next_deadline_at = now() + interval '300 days' WHERE reference = $1`,
        [urgent],
      );
      const queue = await requests.summaries(workQueueSql(staff, { limit: 100_000 }));
      const order = queue.map((r) => r.request.reference);
      expect(order.indexOf(urgent)).toBeLessThan(order.indexOf(routine));
      expect(queue.findIndex((r) => !r.request.urgent)).toBeGreaterThan(queue.findLastIndex((r) => r.request.urgent));
      const mineOnly = await requests.summaries(workQueueSql(staff, { assignee: 'me', limit: 10 }));
      expect(mineOnly.map((r) => r.request.reference)).toEqual([routine]);
      expect(mineOnly[0].cursorAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      // A supervisor's queue is its body's.
      const supervised = await requests.summaries(workQueueSql({ role: 'cted_supervisor' }, { limit: 100_000 }));
      expect(supervised.map((r) => r.request.reference)).toEqual(expect.arrayContaining([routine, urgent]));
      const q = workQueueSql(staff, { limit: 1 });
      const [first] = await requests.summaries(q);
      const after = await requests.summaries(workQueueSql(staff, { limit: 100_000, cursor: q.cursorOf(first) }));
      expect(after.map((r) => r.request.id)).not.toContain(first.request.id);
      expect(after).toHaveLength(queue.length - 1);
      await routineAgain(urgent);
    });

    /** The arguments of `fileRequest`, for a second call with the same key. */
    async function fileArgs(userId: string, key: string) {
      return {
        userId,
        key,
        bodyHash: 'h'.repeat(64),
        id: randomUUID(),
        memberState: 'KEN',
        thematicAreas: ['legislative'],
        origin: 'member_state',
        title: 'again',
        submission: {},
        workflowIdPrefix: requestWorkflowId(''),
        lockTimeoutMs: 5_000,
        urgent: false,
        deadlineConfig: {},
      };
    }
  });

  describe('DeliveryActivityRepository', () => {
    it('reads the read model written by the event store, dates as YYYY-MM-DD', async () => {
      const u = await newUser();
      const reference = ((await fileRequest(u.id)).result as { reference: string }).reference;
      const row = (await requests.byReference(reference))!;
      await new EventStore(ds).persist({
        requestId: row.id,
        stream: `${row.id}/act-1`,
        firstSeq: 1,
        events: [
          {
            type: 'activity_scheduled',
            actor: SYSTEM_ACTOR,
            at: new Date().toISOString(),
            payload: {},
          },
        ],
        activity: {
          requestId: row.id,
          key: 'act-1',
          reference,
          status: 'scheduled',
          startDate: '2027-03-01',
          endDate: '2027-03-03',
          place: 'Nairobi',
          reschedules: 0,
        },
      });
      const activities = new DeliveryActivityRepository(ds);
      const all = await activities.ofRequest(row.id);
      expect(all).toEqual([
        expect.objectContaining({
          key: 'act-1',
          status: 'scheduled',
          start_date: '2027-03-01',
          end_date: '2027-03-03',
          place: 'Nairobi',
          reschedules: 0,
          report: null,
        }),
      ]);
      expect(await activities.one(row.id, 'act-1')).toMatchObject({
        key: 'act-1',
        activity_ref: expect.stringContaining('act-1'),
      });
      expect(await activities.one(row.id, 'act-2')).toBeUndefined();
    });
  });

  describe('NotificationRepository', () => {
    it("lists a user's own notifications unread first, marks them read, keeps preferences", async () => {
      const u = await newUser();
      const other = await newUser();
      const reference = ((await fileRequest(u.id)).result as { reference: string }).reference;
      const request = (await requests.byReference(reference))!;
      const insert = (userId: string, eventId: number) =>
        ds.query(
          `INSERT INTO notifications (event_id, user_id, request_id, reference, kind, params) VALUES ($1, $2, $3, $4, 'decision_taken', '{"a":1}') RETURNING id::text AS id`,
          [eventId, userId, request.id, reference],
        );
      const base = Math.floor(Math.random() * 1e9);
      const [[n1], [n2], [n3]] = [
        await insert(u.id, base + 1),
        await insert(u.id, base + 2),
        await insert(u.id, base + 3),
      ];
      const [foreign] = await insert(other.id, base + 1);
      const notifications = new NotificationRepository(ds);

      expect(await notifications.unread(u.id)).toBe(3);
      expect(await notifications.markRead(u.id, n2.id)).toBe(true);
      expect(await notifications.markRead(u.id, foreign.id)).toBe(false);
      const page = await notifications.list(u.id, 2);
      expect(page.map((r) => r.id)).toEqual([n3.id, n1.id, n2.id]);
      expect(page[0]).toMatchObject({
        kind: 'decision_taken',
        reference,
        request_id: request.id,
        params: { a: 1 },
        read_at: null,
      });
      expect((await notifications.list(u.id, 5, { read: 0, id: n3.id })).map((r) => r.id)).toEqual([n1.id, n2.id]);
      expect(await notifications.markAllRead(u.id)).toBe(2);
      expect(await notifications.unread(u.id)).toBe(0);
      expect(await notifications.unread(other.id)).toBe(1);

      await notifications.setPreferences(u.id, [
        { kind: 'decision_taken', mode: 'daily_digest' },
        { kind: 'deadline_reminder', mode: 'off' },
      ]);
      await notifications.setPreferences(u.id, [{ kind: 'deadline_reminder', mode: 'immediate' }]);
      expect((await notifications.preferences(u.id)).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { kind: 'deadline_reminder', mode: 'immediate' },
        { kind: 'decision_taken', mode: 'daily_digest' },
      ]);
    });
  });

  describe('WebhookRepository', () => {
    it('keeps subscriptions, their deliveries with attempt logs, replays, removes, and feeds events by State', async () => {
      const webhooks = new WebhookRepository(ds);
      const sub = await webhooks.create({
        url: 'https://example.org/hook',
        eventTypes: ['ctap.request.submitted'],
        secret: 'whsec_test',
        memberState: 'KEN',
        active: true,
      });
      expect(sub).toMatchObject({
        url: 'https://example.org/hook',
        event_types: ['ctap.request.submitted'],
        secret: 'whsec_test',
        active: true,
      });
      expect((await webhooks.list()).map((s) => s.id)).toContain(sub.id);
      expect(await webhooks.find(sub.id)).toMatchObject({ id: sub.id });
      expect(await webhooks.find(randomUUID())).toBeUndefined();

      await ds.query(`UPDATE webhook_subscriptions SET active = false, disabled_reason = 'failing' WHERE id = $1`, [
        sub.id,
      ]);
      expect(await webhooks.update(sub.id, { url: null, eventTypes: null, active: null })).toMatchObject({
        active: false,
        disabled_reason: 'failing',
      });
      expect(
        await webhooks.update(sub.id, { url: 'https://example.org/h2', eventTypes: null, active: true }),
      ).toMatchObject({
        url: 'https://example.org/h2',
        event_types: ['ctap.request.submitted'],
        active: true,
        disabled_reason: null,
      });

      const u = await newUser();
      const { reference, request, events } = await requestWithNotes(u.id, 2);
      const deliveries: { id: string }[] = [];
      for (const e of events) {
        const [d] = await ds.query(
          `INSERT INTO webhook_deliveries (subscription_id, event_id, request_id, status, attempts) VALUES ($1, $2, $3, 'failed', 3) RETURNING id::text AS id`,
          [sub.id, e.id, request.id],
        );
        deliveries.push(d);
      }
      await ds.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, status_code, error, duration_ms) VALUES ($1, 500, 'boom', 12)`,
        [deliveries[0].id],
      );

      const page = await webhooks.deliveries(sub.id, null, 1);
      expect(page.map((d) => d.id)).toEqual([deliveries[1].id, deliveries[0].id]);
      const older = await webhooks.deliveries(sub.id, deliveries[1].id, 10);
      expect(older).toEqual([
        expect.objectContaining({
          id: deliveries[0].id,
          event_id: events[0].id,
          type: 'note_added',
          reference,
          status: 'failed',
          attempts: 3,
        }),
      ]);
      expect(older[0].log).toEqual([
        expect.objectContaining({ statusCode: 500, error: 'boom', durationMs: 12, replay: false }),
      ]);

      expect(await webhooks.replay(sub.id, deliveries[0].id)).toBe(true);
      expect(await webhooks.replay(randomUUID(), deliveries[0].id)).toBe(false);
      expect((await webhooks.deliveries(sub.id, deliveries[1].id, 10))[0]).toMatchObject({
        status: 'pending',
        attempts: 0,
      });

      const before = String(Number(events[0].id) - 1);
      expect((await webhooks.feed(before, 2)).map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect((await webhooks.feed(before, 2, 'KEN')).map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(await webhooks.feed(before, 2, 'UGA')).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ id: events[0].id })]),
      );

      await webhooks.remove(sub.id);
      expect(await webhooks.find(sub.id)).toBeUndefined();
      expect(await ds.query('SELECT 1 FROM webhook_deliveries WHERE subscription_id = $1', [sub.id])).toEqual([]);
    });
  });

  /**
   * The outboxes are global queues that other files' workers also fill: while these tests read
   * them, a second connection holds every other due row locked, so `SKIP LOCKED` passes them by.
   */
  async function withOthersLocked<T>(
    table: 'email_outbox' | 'webhook_deliveries',
    mine: string[],
    fn: () => Promise<T>,
  ) {
    const locker = ds.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    try {
      await locker.query(
        `SELECT id FROM ${table} WHERE status = 'pending' AND NOT (id = ANY($1::bigint[])) FOR UPDATE`,
        [mine],
      );
      return await fn();
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }
  }

  describe('EmailOutboxRepository', () => {
    it('hands out a due message locked, then marks it sent, failed or skipped', async () => {
      const u = await newUser();
      const reference = ((await fileRequest(u.id)).result as { reference: string }).reference;
      const request = (await requests.byReference(reference))!;
      const base = -Math.floor(Math.random() * 1e12) - 1e6;
      const insert = async (id: number, mode: string) => {
        await ds.query(
          `INSERT INTO email_outbox (id, event_id, user_id, request_id, reference, kind, params, mode, next_attempt_at)
           VALUES ($1, $1, $2, $3, $4, 'decision_taken', '{"x":1}', $5, now() - interval '1 day')`,
          [id, u.id, request.id, reference, mode],
        );
        return String(id);
      };
      const immediate = await insert(base, 'immediate');
      const digest = [await insert(base + 1, 'daily_digest'), await insert(base + 2, 'daily_digest')];
      const outbox = new EmailOutboxRepository(ds);
      const status = async (id: string) =>
        (await ds.query('SELECT status, attempts, last_error, message_id FROM email_outbox WHERE id = $1', [id]))[0];

      await withOthersLocked('email_outbox', [immediate, ...digest], async () => {
        const row = await outbox.batch(async (tx) => {
          const r = await tx.nextImmediate();
          await tx.failed([r!.id], 1, 'x'.repeat(2000), false, 60_000);
          return r;
        });
        expect(row).toMatchObject({
          id: immediate,
          user_id: u.id,
          kind: 'decision_taken',
          reference,
          params: { x: 1 },
          attempts: 0,
          active: true,
          email: u.email,
        });
        expect(await status(immediate)).toMatchObject({ status: 'pending', attempts: 1 });
        expect((await status(immediate)).last_error).toHaveLength(1000);

        const rows = await outbox.batch(async (tx) => {
          const r = await tx.nextDigest();
          await tx.sent([r[0].id], '<m@ctap.local>');
          await tx.skip([r[1].id], 'recipient deactivated');
          return r;
        });
        expect(rows.map((r) => r.id)).toEqual(digest);
        expect(await status(digest[0])).toMatchObject({ status: 'sent', message_id: '<m@ctap.local>' });
        expect(await status(digest[1])).toMatchObject({ status: 'skipped', last_error: 'recipient deactivated' });
      });
      await outbox.batch((tx) => tx.failed([immediate], 5, 'gave up', true, 0));
      expect(await status(immediate)).toMatchObject({ status: 'failed', attempts: 5 });
    });
  });

  describe('WebhookRepository dispatch', () => {
    it('hands out the oldest due delivery per request, logs attempts, retries, delivers, disables', async () => {
      const webhooks = new WebhookRepository(ds);
      const sub = await webhooks.create({
        url: 'https://example.org/d',
        eventTypes: ['ctap.request.submitted'],
        secret: 'whsec_d',
        memberState: null,
        active: true,
      });
      const u = await newUser();
      const { request, events } = await requestWithNotes(u.id, 2);
      const ids: string[] = [];
      for (const e of events) {
        const [d] = await ds.query(
          `INSERT INTO webhook_deliveries (subscription_id, event_id, request_id) VALUES ($1, $2, $3) RETURNING id::text AS id`,
          [sub.id, e.id, request.id],
        );
        ids.push(d.id);
      }
      const state = async (id: string) =>
        (
          await ds.query(
            'SELECT status, attempts, last_status_code, last_error FROM webhook_deliveries WHERE id = $1',
            [id],
          )
        )[0];

      await withOthersLocked('webhook_deliveries', ids, async () => {
        const first = await webhooks.dispatch(async (tx) => {
          const d = await tx.nextDue();
          const event = await tx.event(d!.id);
          await tx.logAttempt(d!.id, { statusCode: 503, error: 'HTTP 503', durationMs: 5, replay: d!.replay });
          await tx.failed(d!.id, { attempts: 1, statusCode: 503, error: 'HTTP 503', final: false, retryInMs: 0 });
          return { d, event };
        });
        // The second event waits while the first is pending.
        expect(first.d).toMatchObject({
          id: ids[0],
          subscription_id: sub.id,
          attempts: 0,
          url: 'https://example.org/d',
          secret: 'whsec_d',
          replay: false,
        });
        expect(first.event).toMatchObject({ id: events[0].id, type: 'note_added' });
        expect(await state(ids[0])).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 503 });

        await webhooks.dispatch(async (tx) => {
          const d = await tx.nextDue();
          expect(d!.id).toBe(ids[0]);
          await tx.delivered(d!.id, 204);
        });
        expect(await state(ids[0])).toMatchObject({
          status: 'delivered',
          attempts: 2,
          last_status_code: 204,
          last_error: null,
        });

        await webhooks.dispatch(async (tx) => {
          const d = await tx.nextDue();
          expect(d!.id).toBe(ids[1]);
          await tx.failed(d!.id, { attempts: 1, statusCode: null, error: 'timeout', final: true, retryInMs: 0 });
          await tx.disable(sub.id, 'y'.repeat(400));
        });
        expect(await state(ids[1])).toMatchObject({ status: 'failed', last_error: 'timeout' });
        expect(await webhooks.find(sub.id)).toMatchObject({ active: false, disabled_reason: 'y'.repeat(300) });
        expect(await webhooks.dispatch((tx) => tx.nextDue())).toBeUndefined();
      });
      const [log] = await webhooks.deliveries(sub.id, ids[1], 10);
      expect(log.log).toEqual([
        expect.objectContaining({ statusCode: 503, error: 'HTTP 503', durationMs: 5, replay: false }),
      ]);
      await webhooks.remove(sub.id);
    });
  });

  describe('ReferenceDataRepository', () => {
    it('reads every reference table in its order', async () => {
      const ref = await new ReferenceDataRepository(ds).all();
      expect(ref.memberStates.length).toBeGreaterThanOrEqual(193);
      expect(ref.memberStates.find((s) => s.iso3.trim() === 'KEN')).toMatchObject({ name: 'Kenya' });
      const names = ref.memberStates.map((s) => s.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(ref.thematicAreas.length).toBeGreaterThan(0);
      expect(ref.modalities[0]).toEqual({
        code: expect.any(String),
        name: expect.any(String),
        level: expect.any(String),
      });
      expect(ref.instruments[0]).toEqual({
        code: expect.any(String),
        short_title: expect.any(String),
        title: expect.any(String),
        year: expect.any(Number),
      });
      expect(Object.keys(ref.partners[0]).sort()).toEqual(['code', 'kind', 'name', 'name_zh']);
      expect(Object.keys(ref.donors[0]).sort()).toEqual(['code', 'kind', 'name', 'name_zh']);
    });
  });

  it('DatabaseProbe: Postgres answers', async () => {
    await expect(new DatabaseProbe(ds).ping()).resolves.toBeUndefined();
  });

  describe('ReportRepository', () => {
    it('runs a report read-only with its settings', async () => {
      const reports = new ReportRepository(ds);
      const def = REPORTS['states-assisted'];
      const rows = await reports.run(REPORT_TRANSACTION_SETTINGS, def.sql, def.params(periodOf(undefined, undefined)));
      expect(Array.isArray(rows)).toBe(true);
      // Scoped to one State: the figures of no other State.
      const scoped = await reports.run(
        REPORT_TRANSACTION_SETTINGS,
        REPORTS['open-requests'].sql,
        REPORTS['open-requests'].params(periodOf(undefined, undefined), 'UGA'),
      );
      expect(scoped.length).toBeGreaterThan(0);
      const drilled = scoped.flatMap((r) => (r.drilldown as { items: string[] }).items);
      const states: { member_state: string }[] = await ds.query(
        'SELECT DISTINCT member_state FROM assistance_requests WHERE reference = ANY($1)',
        [drilled],
      );
      expect(states.map((s) => s.member_state)).toEqual(['UGA']);
      await expect(
        reports.run(REPORT_TRANSACTION_SETTINGS, 'DELETE FROM member_states WHERE false', []),
      ).rejects.toThrow(/read-only/);
    });
  });
});
