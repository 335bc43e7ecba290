import { Injectable } from '@nestjs/common';
import { Role } from '@app/domain';
import { ReportRepository } from '@app/persistence';
import { apiError } from '../common/api-error';
import type { Principal } from '../auth/access.decorators';
import {
  DRILL_FIELD_SEPARATOR,
  REPORTS,
  REPORT_NAMES,
  REPORT_TRANSACTION_SETTINGS,
  ReportName,
  periodOf,
} from './report-queries';

export interface Drilldown {
  /** How many distinct items are behind the figure. */
  total: number;
  /** At most DRILL_LIMIT (100) of them, sorted by reference. */
  items: Record<string, unknown>[];
  truncated: boolean;
}

export interface ReportRow {
  [column: string]: unknown;
  drilldown: Drilldown;
}

export interface ReportResult {
  report: ReportName;
  title: string;
  description: string;
  from: string | null;
  to: string | null;
  /** The one State the figures count (a focal point's own), or null for every State. */
  memberState: string | null;
  generatedAt: string;
  columns: string[];
  rows: ReportRow[];
}

@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportRepository) {}

  catalogue() {
    return REPORT_NAMES.map((name) => ({
      report: name,
      title: REPORTS[name].title,
      description: REPORTS[name].description,
      path: `/api/v1/reports/${name}`,
    }));
  }

  /**
   * The State a caller's figures are scoped to: a focal point's own State, always (deny by default:
   * asking for another State's figures is "not found", as its requests are); for CTED and UNODC the
   * State asked for, or every State.
   */
  scopeOf(p: Pick<Principal, 'role' | 'memberState'>, asked?: string): string | null {
    if (p.role !== Role.MemberState) return asked ?? null;
    if (!p.memberState || (asked && asked !== p.memberState))
      throw apiError('NOT_FOUND', `memberState: no figures of ${asked ?? 'this State'} for the caller`);
    return p.memberState;
  }

  /** Runs the report's single SQL statement and shapes its rows; `state` scopes every figure to one State. */
  async run(
    name: ReportName,
    range: { from?: string; to?: string } = {},
    state: string | null = null,
  ): Promise<ReportResult> {
    const def = REPORTS[name];
    const period = periodOf(range.from, range.to);
    // Unscoped figures read the month summaries: refresh the stale months first (in their own
    // transaction; the report's is read only), so they are read from the summaries, not the detail.
    if (def.summarized && state === null) await this.reports.refreshSummaries();
    const raw = await this.reports.run(REPORT_TRANSACTION_SETTINGS, def.sql, def.params(period, state));
    const rows = raw.map((r) => {
      const row: ReportRow = { drilldown: toDrilldown(r.drilldown, def.drill) };
      for (const [column, type] of Object.entries(def.columns)) {
        const v = r[column];
        row[column] = type === 'number' && v !== null && v !== undefined ? Number(v) : (v ?? null);
      }
      return row;
    });
    return {
      report: name,
      title: def.title,
      description: def.description,
      from: period.from,
      to: period.to,
      memberState: state,
      generatedAt: new Date().toISOString(),
      columns: Object.keys(def.columns),
      rows,
    };
  }
}

/** Drill-down fields that hold a yes/no (the referral funnel's flags). */
const BOOLEAN_FIELDS = new Set(['planned', 'delivered', 'outcomeRecorded']);

function field(name: string, text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  if (BOOLEAN_FIELDS.has(name)) return text === 'true';
  return text;
}

function toDrilldown(raw: unknown, fields: readonly string[]): Drilldown {
  const d = (raw ?? { total: 0, items: [] }) as { total: number | string; items: string[] | null };
  const total = Number(d.total);
  const items = (d.items ?? []).map((key) => {
    const parts = key.split(DRILL_FIELD_SEPARATOR);
    return Object.fromEntries(fields.map((f, i) => [f, field(f, parts[i])]));
  });
  return { total, items, truncated: total > items.length };
}
