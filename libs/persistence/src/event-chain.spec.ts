import { ChainRow, GENESIS_HASH, canonicalJson, eventHash, verifyChain } from './event-chain';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      stream: 's',
      seq,
      type: `t${seq}`,
      actorUserId: 'u',
      actorRole: 'cted_officer',
      actorMemberState: null,
      decisionId: `d${seq}`,
      occurredAt: new Date(seq * 1000).toISOString(),
      payload: { n: seq, nested: { b: 1, a: [2, 1] } },
    };
    const hash = eventHash(prev, e);
    rows.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('event hash chain', () => {
  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: [2, 1] })).not.toBe(canonicalJson({ a: [1, 2] }));
  });

  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, events: 5 });
  });

  it('finds an edited payload, a removed event and a relinked chain', () => {
    const edited = chain(5);
    edited[2] = { ...edited[2], payload: { n: 99 } };
    expect(verifyChain(edited)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'event content does not match its hash',
    });

    const gap = chain(5).filter((r) => r.seq !== 3);
    expect(verifyChain(gap)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'expected seq 3' });

    const relinked = chain(4);
    relinked[3] = { ...relinked[3], prevHash: GENESIS_HASH };
    expect(verifyChain(relinked)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'broken link to previous event' });
  });
});
