import { ThrottlerStorageService } from '@nestjs/throttler';
import { SlidingWindowThrottlerStorage } from './throttler-storage';

describe('SlidingWindowThrottlerStorage answers exactly as @nestjs/throttler’s own storage', () => {
  let now: number;
  beforeEach(() => {
    now = 1_800_000_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  /** A deterministic pseudo-random sequence (no dependency on Math.random). */
  const rng = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it.each([
    ['blocking for the ttl (the API’s throttlers)', 60_000, 60_000],
    ['a block longer than the window', 10_000, 30_000],
    ['no block duration', 5_000, 0],
  ])('%s: every answer is the same on 20,000 random calls', async (_what, ttl, blockDuration) => {
    const theirs = new ThrottlerStorageService();
    const ours = new SlidingWindowThrottlerStorage();
    const next = rng(ttl + blockDuration);
    const seen = new Set<boolean>();
    try {
      for (let i = 0; i < 20_000; i++) {
        // Bursts and pauses: from the same millisecond to past the window and the block.
        const r = next();
        now += r < 0.6 ? 0 : r < 0.9 ? Math.floor(next() * 200) : Math.floor(next() * 2 * Math.max(ttl, blockDuration));
        const key = `key-${Math.floor(next() * 3)}`;
        const limit = 1 + Math.floor(next() * 12);
        const args = [key, ttl, limit, blockDuration, 'default'] as const;
        const answer = await ours.increment(...args);
        expect({ i, answer }).toEqual({ i, answer: await theirs.increment(...args) });
        seen.add(answer.isBlocked);
      }
      expect(seen).toEqual(new Set([true, false]));
    } finally {
      theirs.onApplicationShutdown();
      ours.onApplicationShutdown();
    }
  });

  it('costs the same whatever the number of hits in the window (no copy per request)', async () => {
    const ours = new SlidingWindowThrottlerStorage();
    try {
      for (let i = 0; i < 200_000; i++) {
        now += 1;
        const answer = await ours.increment('k', 60_000, 10_000_000, 60_000, 'default');
        if (i === 199_999) expect(answer).toMatchObject({ totalHits: 60_000, isBlocked: false });
      }
    } finally {
      ours.onApplicationShutdown();
    }
  });
});
