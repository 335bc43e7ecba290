import type { DataSource } from 'typeorm';

/** SQLSTATE of a serialization failure (another refresh committed under this one's snapshot). */
const SERIALIZATION_FAILURE = '40001';

/**
 * Runs the reports' statements (apps/api/src/reports/report-queries.ts, one entry a report): each
 * in its own transaction, opened with the reports' settings (read only, time and memory bounds).
 */
export class ReportRepository {
  constructor(private readonly ds: DataSource) {}

  run(settings: string, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.ds.transaction(async (tx) => {
      await tx.query(settings);
      return tx.query(sql, params);
    });
  }

  /**
   * Brings the reports' month summaries up to date (migration ReportSummaries): when months are
   * marked stale, runs report_summaries_refresh() in its own REPEATABLE READ transaction (it
   * deletes the markers its snapshot sees and recomputes those months from the same snapshot).
   * Returns the months recomputed; 0 when none was stale, -1 when another refresh was running or
   * committed under this one (it is left to that one: reports are exact either way, a stale month is
   * read from the detail rows).
   */
  async refreshSummaries(): Promise<number> {
    const [{ stale }] = await this.ds.query(`SELECT EXISTS (SELECT 1 FROM report_summary_stale) AS stale`);
    if (!stale) return 0;
    try {
      return await this.ds.transaction('REPEATABLE READ', async (tx) => {
        const [{ months }] = await tx.query(`SELECT report_summaries_refresh() AS months`);
        return Number(months);
      });
    } catch (err) {
      if ((err as { code?: string }).code === SERIALIZATION_FAILURE) return -1;
      throw err;
    }
  }
}
