import { toCsv } from './report-csv';
import { REPORTS, REPORT_NAMES, periodOf } from './report-queries';
import type { ReportResult } from './reports.service';

const result = (rows: ReportResult['rows'], columns = ['provider', 'referred']): ReportResult => ({
  report: 'referral-funnel',
  title: 't',
  description: 'd',
  from: null,
  to: null,
  memberState: null,
  generatedAt: '2031-01-01T00:00:00.000Z',
  columns,
  rows,
});

describe('report CSV', () => {
  it('has a header row, the drill-down total and its items, CRLF line ends', () => {
    const csv = toCsv(
      result([
        {
          provider: 'European Union',
          referred: 2,
          drilldown: {
            total: 2,
            truncated: false,
            items: [
              { reference: 'CTAP-2031-000001', referralId: 'ref-2' },
              { reference: 'CTAP-2031-000002', referralId: 'ref-1' },
            ],
          },
        },
      ]),
    );
    expect(csv).toBe(
      'provider,referred,drilldown_total,drilldown\r\nEuropean Union,2,2,CTAP-2031-000001/ref-2 CTAP-2031-000002/ref-1\r\n',
    );
  });

  it('quotes commas, quotes and line breaks, leaves empty cells for null, and defuses spreadsheet formulas', () => {
    const drilldown = { total: 0, truncated: false, items: [] };
    const csv = toCsv(
      result([
        { provider: 'Smith, "Jones" & Co\nLtd', referred: null, drilldown },
        { provider: '=HYPERLINK("http://x")', referred: -1, drilldown },
        { provider: '@SUM(A1)', referred: 0, drilldown },
      ]),
    );
    expect(csv.split('\r\n')).toEqual([
      'provider,referred,drilldown_total,drilldown',
      '"Smith, ""Jones"" & Co\nLtd",,0,',
      `"'=HYPERLINK(""http://x"")",-1,0,`,
      "'@SUM(A1),0,0,",
      '',
    ]);
  });
});

describe('report periods and definitions', () => {
  it('turns inclusive dates into a half-open UTC interval, unbounded when absent', () => {
    expect(periodOf('2031-01-01', '2031-12-31')).toEqual({
      from: '2031-01-01',
      to: '2031-12-31',
      fromDate: '2031-01-01',
      toDate: '2031-12-31',
      fromTs: '2031-01-01T00:00:00.000Z',
      toTsExclusive: '2032-01-01T00:00:00.000Z',
    });
    expect(periodOf('2031-02-28', '2031-02-28').toTsExclusive).toBe('2031-03-01T00:00:00.000Z');
    expect(periodOf()).toMatchObject({
      from: null,
      to: null,
      fromDate: '1900-01-01',
      toDate: '2999-12-31',
      toTsExclusive: '3000-01-01T00:00:00.000Z',
    });
  });

  it('gives every report one statement whose parameters it binds', () => {
    for (const name of REPORT_NAMES) {
      const def = REPORTS[name];
      const params = def.params(periodOf('2031-01-01', '2031-12-31'));
      const used = new Set([...def.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      expect({ name, used: [...used].sort() }).toEqual({ name, used: params.map((_, i) => i + 1) });
      expect(def.sql.includes(';')).toBe(false);
    }
  });
});
