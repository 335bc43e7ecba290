import type { ReportResult } from './reports.service';

/** Spreadsheet formula injection: text starting with these is prefixed with a quote. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(' ') : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One drill-down item as CSV text: `reference` or `reference/activityKey` (or `/referralId`, `/pledgeRef`). */
function drillItem(item: Record<string, unknown>): string {
  const [first, second] = Object.values(item);
  return second === undefined || second === null ? String(first) : `${String(first)}/${String(second)}`;
}

/** Header row, then one line per report row; the drill-down as its total and its (capped) items. */
export function toCsv(result: ReportResult): string {
  const header = [...result.columns, 'drilldown_total', 'drilldown'];
  const lines = [header.map(cell).join(',')];
  for (const row of result.rows) {
    const values = result.columns.map((c) => row[c]);
    values.push(row.drilldown.total, row.drilldown.items.map(drillItem));
    lines.push(values.map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
