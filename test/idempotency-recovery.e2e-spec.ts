import { createHash, randomUUID } from 'crypto';
import { requestWorkflowId } from '@app/contracts';
import { DEFAULT_DEADLINES, deadlinesFor } from '@app/domain';
import { RequestRepository, canonicalJson } from '@app/persistence';
import { ACCOUNTS, actors, kenyanRequest, unique } from './api-fixtures';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(60_000);

/**
 * An Idempotency-Key is only ever taken together with the request it names: a submission that
 * fails before its commit leaves the key free for a retry or a corrected body.
 */
describe('Idempotency-Key: a failed submission never burns its key', () => {
  const stack = useStack('idempotency-recovery');
  const a = () => actors(stack);

  async function keyRows(key: string): Promise<number> {
    const [{ n }] = await stack.ds.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key]);
    return n;
  }

  it('a 422 refused inside the transaction leaves the key free for the corrected body', async () => {
    const key = randomUUID();
    const consent = {
      grantedBy: 'Permanent Mission of Kenya, Vienna',
      grantedAt: '2026-10-02',
      scope: 'Legislative assistance named in the note verbale',
    };
    const refused = await a().cted.submit({ ...kenyanRequest(), memberState: 'XXK', consent }, key);
    expect({ status: refused.status, field: refused.body.errors?.[0]?.field }).toEqual({
      status: 422,
      field: 'memberState',
    });
    expect(await keyRows(key)).toBe(0);
    const corrected = await a().cted.submit({ ...kenyanRequest(), memberState: 'KEN', consent }, key);
    expect(corrected.status).toBe(201);
    expect(corrected.body.memberState).toBe('KEN');
  });

  it('a Postgres failure while writing the request rolls the claim back: same key, same body then succeeds', async () => {
    const marker = unique('storage-fault');
    // A refusal only Postgres makes (past every validator), for titles carrying this test's marker.
    await stack.ds.query(`CREATE OR REPLACE FUNCTION refuse_marked_title() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.title LIKE '${marker}%' THEN RAISE EXCEPTION 'storage refused'; END IF; RETURN NEW; END $$`);
    await stack.ds.query(
      `CREATE TRIGGER refuse_marked_title BEFORE INSERT ON assistance_requests FOR EACH ROW EXECUTE FUNCTION refuse_marked_title()`,
    );
    const key = randomUUID();
    const body = kenyanRequest(`${marker} title`);
    try {
      const failed = await a().kenya.submit(body, key);
      expect(failed.status).toBe(500);
      expect(failed.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await keyRows(key)).toBe(0);
    } finally {
      await stack.ds.query('DROP TRIGGER refuse_marked_title ON assistance_requests');
      await stack.ds.query('DROP FUNCTION refuse_marked_title()');
    }
    const retried = await a().kenya.submit(body, key);
    expect(retried.status).toBe(201);
    const replayed = await a().kenya.submit(body, key);
    expect({ status: replayed.status, replayed: replayed.headers['idempotent-replayed'] }).toEqual({
      status: 201,
      replayed: 'true',
    });
    expect(replayed.body.reference).toBe(retried.body.reference);
  });

  it.each([
    ['a NUL character in the title', `Which ministry\u0000 leads? ${unique()}`],
    ['a title longer in code points than in UTF-16 checks', `Emoji ${'\u263a\ufe0f'.repeat(194)}`],
  ])('%s: whatever the first answer, the key stays free for the corrected body', async (_what, title) => {
    const key = randomUUID();
    const first = await a().kenya.submit(kenyanRequest(title), key);
    expect(first.status).not.toBe(201);
    expect(first.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await keyRows(key)).toBe(0);
    const corrected = await a().kenya.submit(kenyanRequest(), key);
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
  });

  it('takes over a claim an older release left without a request behind it', async () => {
    const key = randomUUID();
    const [{ id }] = await stack.ds.query(`SELECT id FROM users WHERE email = 'focal.ken@ctap.local'`);
    await stack.ds.query(
      `INSERT INTO idempotency_keys (user_id, key, body_hash, created_at) VALUES ($1, $2, $3, now() - interval '5 minutes')`,
      [id, key, 'f'.repeat(64)],
    );
    const res = await a().kenya.submit(kenyanRequest(), key);
    expect(res.status).toBe(201);
    const [row] = await stack.ds.query('SELECT resource_ref FROM idempotency_keys WHERE user_id = $1 AND key = $2', [
      id,
      key,
    ]);
    expect(row.resource_ref).toBe(res.body.reference);
  });

  it('a retry racing the first call waits for it and replays its answer', async () => {
    const key = randomUUID();
    const body = kenyanRequest();
    const [x, y] = await Promise.all([a().kenya.submit(body, key), a().kenya.submit(body, key)]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.body.reference).toBe(y.body.reference);
    expect([x.headers['idempotent-replayed'], y.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
  });

  it('a replay starts the workflow the first call did not start (it died between the commit and the start)', async () => {
    const key = randomUUID();
    const body = kenyanRequest();
    const [kenya] = await stack.ds.query('SELECT id FROM users WHERE email = $1', [ACCOUNTS.kenya]);
    // What the first call committed before dying: the claim, the request and its response, no workflow.
    const filed = await new RequestRepository(stack.ds).file({
      userId: kenya.id,
      key,
      bodyHash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
      id: randomUUID(),
      memberState: 'KEN',
      thematicAreas: [...new Set(body.needs.map((n) => n.thematicArea))].sort(),
      origin: 'member_state',
      title: body.title,
      submission: { title: body.title, needs: body.needs, urgency: body.urgency, consent: null, assessmentRef: null },
      workflowIdPrefix: requestWorkflowId(''),
      lockTimeoutMs: 1_000,
      urgent: false,
      deadlineConfig: deadlinesFor(DEFAULT_DEADLINES, 'routine'),
    });
    if (!filed.filed) throw new Error(`not filed: ${filed.why}`);
    const handle = stack.temporal.workflow.getHandle(requestWorkflowId(filed.reference));
    await expect(handle.describe()).rejects.toThrow();

    const replayed = await a().kenya.submit(body, key);
    expect({ status: replayed.status, replayed: replayed.headers['idempotent-replayed'] }).toEqual({
      status: 201,
      replayed: 'true',
    });
    expect(replayed.body).toEqual(filed.response);
    await waitFor(async () => (await handle.describe()).status.name === 'RUNNING');
    // Its workflow stores the submission: the request is no longer unstarted.
    await waitFor(async () => {
      const [row] = await stack.ds.query('SELECT last_event_seq FROM assistance_requests WHERE reference = $1', [
        filed.reference,
      ]);
      return row.last_event_seq > 0;
    });
    await a().kenya.decide(filed.reference, 'withdraw', { reason: 'Test over' });
  });
});
