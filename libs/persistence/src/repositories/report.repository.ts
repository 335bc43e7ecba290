import type { DataSource } from 'typeorm';

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
}
