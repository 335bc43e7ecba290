import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** What `increment` answers (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The hits of one throttler on one key: their expiry times in order, the live ones from `head` on. */
interface Hits {
  at: number[];
  head: number;
}

interface KeyRecord {
  hits: Map<string, Hits>;
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The rate limits' in-memory storage: the same sliding window of hits, the same blocking and the
 * same answers as @nestjs/throttler's own `ThrottlerStorageService` (throttler-storage.spec.ts
 * drives both with the same calls and compares every answer), at a constant cost per request.
 *
 * Why: the library's storage keeps every hit of the last `ttl` per key and copies that list
 * (`filter`) on every request to drop the expired ones, so each request costs time and memory in
 * proportion to the requests of the last minute: at a few hundred requests per second that copy
 * was a third of the API's allocations and lengthened its garbage collections (issue 11, P4).
 * Here the hits are kept in expiry order and expire from the front.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly records = new Map<string, KeyRecord>();
  private sweep?: NodeJS.Timeout;

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    this.sweep ??= setInterval(() => this.evictIdle(Date.now()), SWEEP_INTERVAL_MS).unref();
    let record = this.records.get(key);
    if (!record) {
      record = { hits: new Map(), expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false };
      this.records.set(key, record);
    }
    let hits = record.hits.get(throttlerName);
    if (!hits) {
      hits = { at: [], head: 0 };
      record.hits.set(throttlerName, hits);
    }
    expire(hits, now);
    let timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      record.expiresAt = now + ttl;
      timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    }
    if (blockDuration <= 0) {
      const isBlocked = live(hits) >= limit;
      if (!isBlocked) add(hits, now + ttl);
      const timeToBlockExpire = live(hits) ? Math.ceil((hits.at[hits.head] - now) / 1000) : timeToExpire;
      return {
        totalHits: live(hits) + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? timeToBlockExpire : 0,
      };
    }
    if (!record.isBlocked) add(hits, now + ttl);
    if (live(hits) > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((record.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      record.isBlocked = false;
      hits.at = [];
      hits.head = 0;
      add(hits, now + ttl);
    }
    return { totalHits: live(hits), timeToExpire, isBlocked: record.isBlocked, timeToBlockExpire };
  }

  /** Forgets the keys with nothing left to remember (as the library's sweep does). */
  private evictIdle(now: number): void {
    for (const [key, record] of this.records) {
      if (record.isBlocked && record.blockExpiresAt > now) continue;
      if (record.expiresAt > now) continue;
      if ([...record.hits.values()].some((h) => live(h) && h.at[h.at.length - 1] > now)) continue;
      this.records.delete(key);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
    this.sweep = undefined;
    this.records.clear();
  }
}

const live = (hits: Hits) => hits.at.length - hits.head;

/** Drops the hits expired at `now` (the front of the list); compacts the list now and then. */
function expire(hits: Hits, now: number): void {
  while (hits.head < hits.at.length && hits.at[hits.head] <= now) hits.head++;
  if (hits.head === hits.at.length) {
    hits.at = [];
    hits.head = 0;
  } else if (hits.head > 1024 && hits.head * 2 > hits.at.length) {
    hits.at = hits.at.slice(hits.head);
    hits.head = 0;
  }
}

/** Adds a hit expiring at `expiresAt`, keeping the list in order (a clock set back, a shorter ttl). */
function add(hits: Hits, expiresAt: number): void {
  const { at } = hits;
  if (!at.length || at[at.length - 1] <= expiresAt) {
    at.push(expiresAt);
    return;
  }
  let lo = hits.head;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid] <= expiresAt) lo = mid + 1;
    else hi = mid;
  }
  at.splice(lo, 0, expiresAt);
}
