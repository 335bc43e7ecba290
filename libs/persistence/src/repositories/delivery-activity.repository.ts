import type { DataSource } from 'typeorm';

/** A delivery activity from its read model (delivery_activities), dates as YYYY-MM-DD. */
export interface DeliveryActivityRow {
  key: string;
  status: string;
  start_date: string;
  end_date: string;
  place: string;
  reschedules: number;
  /** The delivery report as the workflow stored it (the API's DeliveryReportViewDto), once delivered. */
  report: Record<string, unknown> | null;
  updated_at: Date;
  /** `shared/<sharedKey>` for a regional activity shared by several requests. */
  activity_ref?: string;
}

const COLUMNS = `key, status, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date,
                 place, reschedules, report, updated_at, activity_ref`;

export const DELIVERY_ACTIVITY_SQL = {
  ofRequest: `SELECT ${COLUMNS} FROM delivery_activities WHERE request_id = $1`,
  one: `SELECT ${COLUMNS} FROM delivery_activities WHERE request_id = $1 AND key = $2`,
} as const;

/** The delivery activities' read model, written by the event store; read here. */
export class DeliveryActivityRepository {
  constructor(private readonly ds: DataSource) {}

  ofRequest(requestId: string): Promise<DeliveryActivityRow[]> {
    return this.ds.query(DELIVERY_ACTIVITY_SQL.ofRequest, [requestId]);
  }

  async one(requestId: string, key: string): Promise<DeliveryActivityRow | undefined> {
    const [row] = await this.ds.query(DELIVERY_ACTIVITY_SQL.one, [requestId, key]);
    return row;
  }
}
