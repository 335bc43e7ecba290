import type { DataSource, EntityManager } from 'typeorm';

/** What runs SQL: the data source, or a transaction's entity manager. */
export type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** A timestamp as text at microsecond precision, UTC: what a keyset cursor stores (Dates drop the microseconds). */
export const SQL_UTC_MICROS = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A statement and its parameters, built by a named query module (e.g. apps/api/src/requests/list-requests.sql.ts). */
export interface SqlQuery {
  sql: string;
  args: unknown[];
}

/**
 * `UPDATE … RETURNING` through TypeORM's postgres driver answers `[rows, affected]`; this returns the rows.
 * (A `SELECT` or `INSERT … RETURNING` answers the rows themselves.)
 */
export async function updateReturning<T>(db: Queryable, sql: string, args: unknown[]): Promise<T[]> {
  const [rows] = (await db.query(sql, args)) as [T[], number];
  return rows ?? [];
}

/** The number of rows an `UPDATE` or `DELETE` without RETURNING touched. */
export async function affected(db: Queryable, sql: string, args: unknown[]): Promise<number> {
  const [, count] = (await db.query(sql, args)) as [unknown, number];
  return Number(count ?? 0);
}

/** Postgres answers a trivial statement: the health probe. */
export class DatabaseProbe {
  constructor(private readonly ds: DataSource) {}

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
