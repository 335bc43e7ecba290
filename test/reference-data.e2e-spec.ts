import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase } from '@app/persistence';
import { LoadResult, readDonorAnnex } from '../seeds/src/reference-loaders';
import { loadMemberStates, loadReferenceData } from '../seeds/src/seed-loaders';
import { readTestEnv } from './support/test-env';

jest.setTimeout(60_000);

const EXPECTED_ROWS: Record<string, number> = {
  universal_instruments: 19,
  thematic_areas: 14,
  delivery_modalities: 16,
  partner_organisations: 68,
  donors: 26,
  donor_contributions: 112,
  cted_visits_with_unodc: 17,
  reported_states_assisted: 65,
};

const testDbUrl = (): string => readTestEnv().databaseUrl;

/** A database of its own, so the loaders can be watched inserting from empty while other files use the shared one. */
async function privateDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/test/.test(name)) throw new Error('test databases must have "test" in their name');
  const url = new URL(testDbUrl());
  url.pathname = `/${name}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const c = new Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await ensureDatabase(url.toString());
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

const byTable = (results: LoadResult[]) => Object.fromEntries(results.map((r) => [r.table, r]));
const changes = (results: LoadResult[]) =>
  Object.fromEntries(results.map((r) => [r.table, r.inserted + r.updated + r.deleted]));

describe('reference data loaders', () => {
  describe('on an empty, freshly migrated database', () => {
    let ds: DataSource;
    let db: { url: string; drop(): Promise<void> };

    beforeAll(async () => {
      db = await privateDatabase(`ctap_test_refdata_${process.pid}`);
      ds = await new DataSource(dataSourceOptions(db.url)).initialize();
      await ds.runMigrations({ transaction: 'each' });
    });
    afterAll(async () => {
      await ds?.destroy();
      await db?.drop();
    });

    it('inserts every file on the first run and changes nothing on the second', async () => {
      expect(await loadMemberStates(ds)).toBe(193);
      const first = byTable(await loadReferenceData(ds));
      for (const [table, n] of Object.entries(EXPECTED_ROWS)) {
        expect(first[table]).toEqual({ table, rows: n, inserted: n, updated: 0, deleted: 0 });
      }

      expect(await loadMemberStates(ds)).toBe(0);
      const second = await loadReferenceData(ds);
      expect(changes(second)).toEqual(Object.fromEntries(Object.keys(EXPECTED_ROWS).map((t) => [t, 0])));

      for (const [table, n] of Object.entries(EXPECTED_ROWS)) {
        const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM ${table}`);
        expect({ table, count }).toEqual({ table, count: n });
      }
    });

    it('repairs a changed row, removes a row the files do not have, and restores a deleted one', async () => {
      await ds.query(`UPDATE thematic_areas SET name = 'edited by hand' WHERE code = 'ratification'`);
      await ds.query(
        `INSERT INTO universal_instruments (code, short_title, title, year, depositary, in_force) VALUES ('2099-STRAY', 'x', 'x', 2099, 'x', true)`,
      );
      await ds.query(`DELETE FROM donor_contributions WHERE donor = 'SWE' AND year = 2009`);
      // A row outside the file's scope (another year's list) is not the 2009 file's to remove.
      await ds.query(
        `INSERT INTO reported_states_assisted (year, iso3, position, name, source) VALUES (2013, 'KEN', 1, 'Kenya', 'test')`,
      );

      const repaired = byTable(await loadReferenceData(ds));
      expect(repaired.thematic_areas).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
      expect(repaired.universal_instruments).toMatchObject({ inserted: 0, updated: 0, deleted: 1 });
      expect(repaired.donor_contributions).toMatchObject({ inserted: 1, updated: 0, deleted: 0 });
      expect(repaired.reported_states_assisted).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
      const [{ name }] = await ds.query(`SELECT name FROM thematic_areas WHERE code = 'ratification'`);
      expect(name).toBe('Ratification of the universal instruments');

      expect(Object.values(changes(await loadReferenceData(ds))).every((n) => n === 0)).toBe(true);
    });
  });

  describe('in the shared e2e database (loaded by the global setup)', () => {
    let ds: DataSource;

    beforeAll(async () => {
      ds = await new DataSource(dataSourceOptions(testDbUrl())).initialize();
    });
    afterAll(async () => {
      await ds?.destroy();
    });

    it('holds 193 Member States and every reference file, and a rerun of all loaders changes nothing', async () => {
      const [counts] = await ds.query(
        `SELECT (SELECT count(*) FROM member_states)::int AS member_states,
                (SELECT count(*) FROM universal_instruments)::int AS universal_instruments,
                (SELECT count(*) FROM thematic_areas)::int AS thematic_areas,
                (SELECT count(*) FROM delivery_modalities)::int AS delivery_modalities,
                (SELECT count(*) FROM partner_organisations)::int AS partner_organisations,
                (SELECT count(*) FROM donors)::int AS donors,
                (SELECT count(*) FROM donor_contributions)::int AS donor_contributions,
                (SELECT count(*) FROM cted_visits_with_unodc)::int AS cted_visits_with_unodc,
                (SELECT count(*) FROM reported_states_assisted)::int AS reported_states_assisted`,
      );
      expect(counts).toEqual({ member_states: 193, ...EXPECTED_ROWS });
      expect(await loadMemberStates(ds)).toBe(0);
      expect(Object.values(changes(await loadReferenceData(ds))).every((n) => n === 0)).toBe(true);
    });

    it('adds up, in SQL, to the annex: every row total, every year total, USD 39,024,221 in all', async () => {
      const annex = readDonorAnnex();
      const rows: { donor: string; total: string; annex_total_usd: string }[] = await ds.query(
        `SELECT d.code AS donor, sum(c.amount_usd)::bigint AS total, d.annex_total_usd FROM donors d JOIN donor_contributions c ON c.donor = d.code GROUP BY d.code`,
      );
      expect(Object.fromEntries(rows.map((r) => [r.donor, Number(r.total)]))).toEqual(annex.rowTotals);
      expect(rows.every((r) => r.total === r.annex_total_usd)).toBe(true);

      const years: { year: number; total: string }[] = await ds.query(
        `SELECT year, sum(amount_usd)::bigint AS total FROM donor_contributions GROUP BY year`,
      );
      expect(Object.fromEntries(years.map((y) => [String(y.year), Number(y.total)]))).toEqual(annex.yearTotals);

      const [{ grand, states, organisations, early }] = await ds.query(
        `SELECT (SELECT sum(amount_usd) FROM donor_contributions)::bigint AS grand,
                (SELECT count(*) FROM donors WHERE kind = 'state')::int AS states,
                (SELECT count(*) FROM donors WHERE kind = 'organisation')::int AS organisations,
                (SELECT sum(amount_usd) FROM donor_contributions WHERE year = 1999 AND period_end = 2002)::bigint AS early`,
      );
      expect({ grand: Number(grand), states, organisations, early: Number(early) }).toEqual({
        grand: 39_024_221,
        states: 22,
        organisations: 4,
        early: 876_936,
      });
    });

    it('keeps the counts the reports quote: 16 instruments to 2005, 18 to 2010; 7 + 10 CTED visits; 65 States assisted in 2009, one not a Member', async () => {
      const [r] = await ds.query(
        `SELECT (SELECT count(*) FROM universal_instruments WHERE year <= 2005)::int AS to2005,
                (SELECT count(*) FROM universal_instruments WHERE year <= 2010)::int AS to2010,
                (SELECT count(*) FROM cted_visits_with_unodc WHERE year = 2009)::int AS visits2009,
                (SELECT count(*) FROM cted_visits_with_unodc WHERE year = 2013)::int AS visits2013,
                (SELECT count(*) FROM reported_states_assisted WHERE year = 2009)::int AS assisted2009,
                (SELECT array_agg(iso3::text) FROM reported_states_assisted s WHERE NOT EXISTS (SELECT 1 FROM member_states m WHERE m.iso3 = s.iso3)) AS non_members,
                (SELECT array_agg(code ORDER BY code) FROM delivery_modalities WHERE reporting_level = 'regional') AS regional`,
      );
      expect(r).toEqual({
        to2005: 16,
        to2010: 18,
        visits2009: 7,
        visits2013: 10,
        assisted2009: 65,
        non_members: ['COK'],
        regional: ['judicial_platform_support', 'regional_workshop'],
      });
    });
  });
});
