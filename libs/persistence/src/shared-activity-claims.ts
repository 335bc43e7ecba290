import type { DataSource } from 'typeorm';
import type { SharedActivityClaim } from '@app/contracts';

/** Claims of shared activities: the first request to claim a sharedKey starts its workflow, once, ever. */
export class SharedActivityClaims {
  constructor(private readonly ds: DataSource) {}

  /** True if this request holds the claim (just taken, or taken by an earlier attempt of the same request). */
  async claim(c: SharedActivityClaim): Promise<boolean> {
    await this.ds.query(
      `INSERT INTO shared_activity_claims (shared_key, request_id, reference) VALUES ($1, $2, $3) ON CONFLICT (shared_key) DO NOTHING`,
      [c.sharedKey, c.requestId, c.reference],
    );
    const [row] = await this.ds.query('SELECT request_id FROM shared_activity_claims WHERE shared_key = $1', [
      c.sharedKey,
    ]);
    return row?.request_id === c.requestId;
  }
}
