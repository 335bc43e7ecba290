import { randomUUID } from 'crypto';
import { SEARCH_HEAD_ROWS } from '../apps/api/src/requests/list-requests.sql';
import { ACCOUNTS, TestStack, startStack } from './support/test-stack';

jest.setTimeout(120_000);

/**
 * The orders of GET /requests, each walked page by page (keyset) over rows written for this run
 * only (found by a run token in their titles): ties on every key, deadlines missing, several States.
 */
const RUN = `SORT${Date.now().toString(36)}${process.pid.toString(36)}`.toUpperCase();
const LIFECYCLE = [
  'cted_review',
  'awaiting_information',
  'external_referral',
  'unodc_planning',
  'awaiting_funding',
  'delivery',
  'follow_up_evaluation',
  'closed',
];

interface Row {
  id: string;
  reference: string;
  memberState: string;
  stage: string;
  submittedAt: string;
  nextDeadlineAt: string | null;
}

// 14 rows: two share each submission time, three share a deadline, four have none; KEN and IDN.
const ROWS: Row[] = Array.from({ length: 14 }, (_, i) => ({
  id: randomUUID(),
  reference: `${RUN}-${String((i * 5) % 14).padStart(2, '0')}`,
  memberState: i % 3 === 0 ? 'IDN' : 'KEN',
  stage: LIFECYCLE[(i * 5) % LIFECYCLE.length],
  submittedAt: `2031-03-${String(1 + Math.floor(i / 2)).padStart(2, '0')}T08:00:00.123456Z`,
  nextDeadlineAt: i % 4 === 3 ? null : i % 5 === 0 ? '2031-09-01T00:00:00.000Z' : `2031-08-${10 + i}T00:00:00.000Z`,
}));

const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const time = (t: string | null) => (t === null ? Infinity : Date.parse(t));
const EXPECTED: Record<string, (a: Row, b: Row) => number> = {
  newest: (a, b) => time(b.submittedAt) - time(a.submittedAt) || byId(b, a),
  oldest: (a, b) => time(a.submittedAt) - time(b.submittedAt) || byId(a, b),
  deadline: (a, b) =>
    (a.nextDeadlineAt === b.nextDeadlineAt ? 0 : time(a.nextDeadlineAt) - time(b.nextDeadlineAt)) || byId(a, b),
  reference: (a, b) => (a.reference < b.reference ? -1 : 1),
  stage: (a, b) =>
    LIFECYCLE.indexOf(a.stage) - LIFECYCLE.indexOf(b.stage) || time(b.submittedAt) - time(a.submittedAt) || byId(a, b),
};

/** The references of every page of GET /requests for this query, following nextCursor. */
async function walkPages(stack: TestStack, token: string, query: Record<string, string>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await stack.http
      .get('/api/v1/requests')
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    seen.push(...res.body.items.map((i: { reference: string }) => i.reference));
    cursor = res.body.nextCursor ?? undefined;
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}

describe('GET /requests: every sort order, keyset-paged', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack('list-sort', { worker: false });
    for (const r of ROWS)
      await stack.ds.query(
        `INSERT INTO assistance_requests (id, reference, member_state, region, thematic_areas, origin, title, stage, outcome,
                                          owner_role, overdue, next_deadline_at, submitted_at, workflow_id, last_event_seq)
         VALUES ($1, $2, $3, 'Africa', '{legislative_incorporation}', 'member_state', $4, $5, $6, 'cted_officer', false, $7, $8, $9, 1)`,
        [
          r.id,
          r.reference,
          r.memberState,
          `Sorting ${RUN} ${r.reference}`,
          r.stage,
          r.stage === 'closed' ? 'completed' : null,
          r.nextDeadlineAt,
          r.submittedAt,
          `wf-${r.id}`,
        ],
      );
  });
  afterAll(async () => {
    await stack?.ds
      .query('DELETE FROM assistance_requests WHERE reference LIKE $1', [`${RUN}-%`])
      .catch(() => undefined);
    await stack?.close();
  });

  const walk = async (email: string, sort: string, limit = 3) =>
    walkPages(stack, await stack.tokenFor(email), { q: RUN, sort, limit: String(limit) });

  it.each(Object.keys(EXPECTED))('%s: every row once, in order, over pages of 3', async (sort) => {
    const expected = [...ROWS].sort(EXPECTED[sort]).map((r) => r.reference);
    expect(await walk(ACCOUNTS.cted, sort)).toEqual(expected);
    // The same order in one page: paging neither skips nor repeats.
    expect(await walk(ACCOUNTS.cted, sort, 100)).toEqual(expected);
  });

  it("keeps a focal point to its own State's requests in every order", async () => {
    for (const sort of Object.keys(EXPECTED)) {
      const expected = ROWS.filter((r) => r.memberState === 'KEN')
        .sort(EXPECTED[sort])
        .map((r) => r.reference);
      expect({ sort, refs: await walk(ACCOUNTS.kenya, sort, 4) }).toEqual({ sort, refs: expected });
    }
  });

  it('refuses a cursor issued for another order (422) and an unknown order (400)', async () => {
    const token = await stack.tokenFor(ACCOUNTS.cted);
    const get = (query: Record<string, string>) =>
      stack.http.get('/api/v1/requests').query(query).set('Authorization', `Bearer ${token}`);
    const first = await get({ q: RUN, sort: 'reference', limit: '2' }).expect(200);
    for (const sort of ['stage', 'deadline', 'newest']) {
      const res = await get({ q: RUN, sort, cursor: first.body.nextCursor }).expect(422);
      expect(res.body.errors).toEqual([{ field: 'cursor', reason: 'not a cursor this API issued', rule: 'invalid' }]);
    }
    const bad = await get({ sort: 'title' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['sort']);
  });
});

/**
 * A newest-first search page is read from the first SEARCH_HEAD_ROWS rows of the submission order
 * when the page fills there, else from every match (list-requests.sql.ts, searchPageSql). Rows
 * written so that both happen in one walk: matches among the newest rows, then a run of
 * non-matching rows longer than the head, then older matches.
 */
describe('GET /requests?q=: pages from the head of the order and from every match agree', () => {
  let stack: TestStack;
  const TOKEN = `HEAD${RUN}`;
  // Newest first: 5 matches among the first 60 rows, then fillers past the head, then 12 matches.
  const FILLERS = SEARCH_HEAD_ROWS + 300;
  const NEAR = [10, 20, 30, 40, 50];
  const FAR = 12;

  beforeAll(async () => {
    stack = await startStack('list-search', { worker: false });
    // Row n of the newest-first order is submitted n seconds before 2033-01-01.
    await stack.ds.query(
      `INSERT INTO assistance_requests (id, reference, member_state, region, thematic_areas, origin, title, stage,
                                        owner_role, overdue, submitted_at, workflow_id, last_event_seq)
       SELECT gen_random_uuid(), $1 || '-' || lpad(n::text, 5, '0'), 'KEN', 'Africa', '{legislative_incorporation}',
              'member_state', CASE WHEN n = ANY($2::int[]) OR n > $3::int THEN 'Search ' || $4 ELSE 'Filler' END,
              'cted_review', 'cted_officer', false, timestamptz '2033-01-01' - n * interval '1 second',
              'wf-' || $1 || '-' || n, 1
         FROM generate_series(1, $3::int + $5::int) AS n`,
      [RUN, NEAR, FILLERS, TOKEN, FAR],
    );
  });
  afterAll(async () => {
    await stack?.ds
      .query('DELETE FROM assistance_requests WHERE reference LIKE $1', [`${RUN}-%`])
      .catch(() => undefined);
    await stack?.close();
  });

  it.each(['newest', 'oldest'])('%s: every match once, in order, over pages of 3 and of 100', async (sort) => {
    const token = await stack.tokenFor(ACCOUNTS.cted);
    const walk = (limit: number, filters: Record<string, string> = {}) =>
      walkPages(stack, token, { q: TOKEN, sort, limit: String(limit), ...filters });
    const newest = [...NEAR, ...Array.from({ length: FAR }, (_, i) => FILLERS + 1 + i)].map(
      (n) => `${RUN}-${String(n).padStart(5, '0')}`,
    );
    const expected = sort === 'newest' ? newest : [...newest].reverse();
    expect(await walk(3)).toEqual(expected);
    expect(await walk(100)).toEqual(expected);
    // With other filters (applied to the head's rows, not bounding its walk): every row matches them.
    expect(await walk(3, { memberState: 'KEN', overdue: 'false', stage: 'cted_review' })).toEqual(expected);
    expect(await walk(3, { memberState: 'IDN' })).toEqual([]);
  });
});
