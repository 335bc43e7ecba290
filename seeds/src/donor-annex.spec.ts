import { donorContributionRows, readDonorAnnex } from './reference-loaders';
import { readSeedFile } from './seed-files';

// The annex of report 000 (E/CN.15/2010) as printed: each donor's total (paid and pledged as at
// 31 December 2009) and the 总计 row. Transcribed from the report, independently of the JSON file.
const PRINTED_ROW_TOTALS: Record<string, number> = {
  AUT: 2_190_505,
  BEL: 708_818,
  CAN: 2_938_797,
  COL: 150_667,
  DNK: 3_372_828,
  FRA: 1_896_648,
  DEU: 4_604_889,
  GRC: 70_000,
  ISR: 20_000,
  ITA: 3_056_850,
  JPN: 362_998,
  LIE: 300_000,
  MCO: 245_227,
  NLD: 2_742_110,
  NZL: 307_383,
  NOR: 2_821_299,
  ESP: 2_205_409,
  SWE: 5_355_452,
  CHE: 282_619,
  TUR: 389_534,
  GBR: 3_109_180,
  USA: 1_772_375,
  COI: 4_518,
  OIF: 78_616,
  INTERPOL: 11_536,
  OSCE: 25_963,
};
/** Column "1999-2002" is keyed 1999. */
const PRINTED_YEAR_TOTALS: Record<number, number> = {
  1999: 876_936,
  2003: 1_573_403,
  2004: 2_233_364,
  2005: 4_349_738,
  2006: 6_172_589,
  2007: 7_129_584,
  2008: 8_107_975,
  2009: 8_580_632,
};
const PRINTED_GRAND_TOTAL = 39_024_221;

const sumBy = <T>(rows: T[], key: (r: T) => string | number, value: (r: T) => number) =>
  rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + value(r) }), {});

describe('donor annex (report 000): the rows the loader writes to donor_contributions', () => {
  const rows = donorContributionRows();

  it('has one row per non-empty cell, unique by (donor, year), all positive whole dollars', () => {
    expect(rows).toHaveLength(112);
    expect(new Set(rows.map((r) => `${r.donor}/${r.year}`)).size).toBe(rows.length);
    for (const r of rows) expect(Number.isInteger(r.amount_usd) && r.amount_usd > 0).toBe(true);
  });

  it('reproduces every printed row total', () => {
    const byDonor = sumBy(
      rows,
      (r) => r.donor,
      (r) => r.amount_usd,
    );
    expect(byDonor).toEqual(PRINTED_ROW_TOTALS);
  });

  it('reproduces every printed year total', () => {
    const byYear = sumBy(
      rows,
      (r) => r.year,
      (r) => r.amount_usd,
    );
    expect(byYear).toEqual(PRINTED_YEAR_TOTALS);
  });

  it('reproduces the grand total of USD 39,024,221', () => {
    expect(rows.reduce((a, r) => a + r.amount_usd, 0)).toBe(PRINTED_GRAND_TOTAL);
    // The printed totals agree among themselves too.
    expect(Object.values(PRINTED_ROW_TOTALS).reduce((a, b) => a + b, 0)).toBe(PRINTED_GRAND_TOTAL);
    expect(Object.values(PRINTED_YEAR_TOTALS).reduce((a, b) => a + b, 0)).toBe(PRINTED_GRAND_TOTAL);
  });

  it('matches the totals carried in the JSON file', () => {
    const annex = readDonorAnnex();
    expect(annex.grandTotal).toBe(PRINTED_GRAND_TOTAL);
    expect(annex.rowTotals).toEqual(PRINTED_ROW_TOTALS);
    expect(annex.yearTotals).toEqual(PRINTED_YEAR_TOTALS);
  });

  it('keeps the 1999-2002 column as one period and flags the 2008 column as including unfinalized pledges', () => {
    const early = rows.filter((r) => r.year === 1999);
    expect(early.map((r) => r.donor).sort()).toEqual(['AUT', 'ITA', 'JPN', 'TUR', 'USA']);
    expect(early.every((r) => r.period_end === 2002)).toBe(true);
    expect(rows.filter((r) => r.year !== 1999).every((r) => r.period_end === null)).toBe(true);
    expect(rows.filter((r) => r.includes_unfinalized_pledges).every((r) => r.year === 2008)).toBe(true);
    expect(rows.filter((r) => r.year === 2008).every((r) => r.includes_unfinalized_pledges)).toBe(true);
  });

  it('names only donors of donors.json (22 States, 4 organisations)', () => {
    const donors = readSeedFile<{ code: string; kind: string }>('donors.json').items;
    expect(donors.filter((d) => d.kind === 'state')).toHaveLength(22);
    expect(donors.filter((d) => d.kind === 'organisation')).toHaveLength(4);
    const codes = new Set(donors.map((d) => d.code));
    expect(rows.filter((r) => !codes.has(r.donor))).toEqual([]);
  });
});
