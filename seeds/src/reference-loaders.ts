import type { DataSource, EntityManager } from 'typeorm';
import { readSeedFile } from './seed-files';

/** What one loader did. A second run over unchanged files reports 0 inserted, 0 updated, 0 deleted. */
export interface LoadResult {
  table: string;
  /** Rows in the seed file. */
  rows: number;
  inserted: number;
  updated: number;
  /** Rows of the table (within the file's scope) that the file no longer contains. */
  deleted: number;
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * Table definition for an upsert by natural key. Identifiers come from this file only (never
 * from input), so building the SQL from them is safe; the data travels as one jsonb parameter.
 */
interface UpsertSpec {
  table: string;
  key: string[];
  /** Column name -> SQL type used to read it from the jsonb rows. */
  columns: Record<string, string>;
  rows: Record<string, unknown>[];
  /** SQL condition limiting which existing rows the file is authoritative for (pruning). */
  scope?: string;
}

/**
 * Inserts new rows, updates rows whose values differ (and only those), and deletes rows of the
 * table's scope that are no longer in the file. Natural keys make a rerun a no-op.
 */
export async function upsertByNaturalKey(db: Queryable, spec: UpsertSpec): Promise<LoadResult> {
  const cols = Object.keys(spec.columns);
  const nonKey = cols.filter((c) => !spec.key.includes(c));
  const recordType = cols.map((c) => `${c} ${spec.columns[c]}`).join(', ');
  const keyTypes = spec.key.map((c) => `${c} ${spec.columns[c]}`).join(', ');
  const data = JSON.stringify(spec.rows);
  const upserted: { inserted: boolean }[] = await db.query(
    `INSERT INTO ${spec.table} AS t (${cols.join(', ')})
     SELECT ${cols.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${recordType})
     ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${nonKey.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
       WHERE (${nonKey.map((c) => `t.${c}`).join(', ')}, NULL) IS DISTINCT FROM (${nonKey.map((c) => `EXCLUDED.${c}`).join(', ')}, NULL)
     RETURNING (xmax = 0) AS inserted`,
    [data],
  );
  // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare DELETE.
  const [{ deleted }]: { deleted: number }[] = await db.query(
    `WITH gone AS (
       DELETE FROM ${spec.table} AS t
        WHERE ${spec.scope ?? 'TRUE'}
          AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS x(${keyTypes}) WHERE ${spec.key.map((c) => `x.${c} = t.${c}`).join(' AND ')})
       RETURNING 1)
     SELECT count(*)::int AS deleted FROM gone`,
    [data],
  );
  const inserted = upserted.filter((r) => r.inserted).length;
  return { table: spec.table, rows: spec.rows.length, inserted, updated: upserted.length - inserted, deleted };
}

// ------------------------------------------------------------------ file shapes

interface InstrumentItem {
  code: string;
  shortTitle: string;
  title: string;
  year: number;
  adoptedAt?: string;
  place?: string;
  depositary: string;
  depositaryBody?: string;
  category?: string;
  inForce: boolean;
  entryIntoForce?: string;
  countedIn2009Report?: boolean;
  countedIn2013Report?: boolean;
  note?: string;
}
interface CodedItem {
  code: string;
  name: string;
  description?: string;
  source?: string;
}
interface ModalityItem extends CodedItem {
  level: string;
  reportingLevel: string;
}
interface PartnerItem extends CodedItem {
  kind: string;
  nameZh?: string;
  note?: string;
}
interface DonorItem {
  code: string;
  name: string;
  nameZh?: string;
  kind: 'state' | 'organisation';
  memberState?: string;
}
export interface ContributionItem {
  donor: string;
  year: number;
  amountUsd: number;
  periodEnd?: number;
}
export interface DonorAnnex {
  rowTotals: Record<string, number>;
  yearTotals: Record<string, number>;
  grandTotal: number;
  notes?: string[];
}
interface VisitItem {
  year: number;
  memberState: string;
  nameZh?: string;
  startDate?: string;
  endDate?: string;
  source: string;
}
interface AssistedItem {
  iso3: string;
  name: string;
  nameZh?: string;
  unMember?: boolean;
  note?: string;
}

/** The annex marks its 2008 column "a": it includes pledges not yet finalized. */
const ANNEX_UNFINALIZED_PLEDGE_YEARS = new Set([2008]);
const ANNEX_SOURCE =
  "E/CN.15/2010 (Secretary-General's report on the Terrorism Prevention Branch's assistance in 2009), annex: contributions paid and pledged as at 31 December 2009";
const STATES_ASSISTED_YEAR = 2009;

export function readDonorAnnex(): { items: ContributionItem[] } & DonorAnnex {
  return readSeedFile<ContributionItem, DonorAnnex>('donor-contributions.json');
}

/** The rows of donor_contributions, exactly as the loader writes them. */
export function donorContributionRows(): {
  donor: string;
  year: number;
  period_end: number | null;
  amount_usd: number;
  includes_unfinalized_pledges: boolean;
  source: string;
}[] {
  return readDonorAnnex().items.map((c) => ({
    donor: c.donor,
    year: c.year,
    period_end: c.periodEnd ?? null,
    amount_usd: c.amountUsd,
    includes_unfinalized_pledges: ANNEX_UNFINALIZED_PLEDGE_YEARS.has(c.year),
    source: ANNEX_SOURCE,
  }));
}

// ------------------------------------------------------------------ loaders

export function loadUniversalInstruments(db: Queryable): Promise<LoadResult> {
  const { items } = readSeedFile<InstrumentItem>('universal-instruments.json');
  return upsertByNaturalKey(db, {
    table: 'universal_instruments',
    key: ['code'],
    columns: {
      code: 'text',
      short_title: 'text',
      title: 'text',
      year: 'int',
      adopted_at: 'date',
      place: 'text',
      depositary: 'text',
      depositary_body: 'text',
      category: 'text',
      in_force: 'boolean',
      entry_into_force: 'date',
      counted_in_2009_report: 'boolean',
      counted_in_2013_report: 'boolean',
      note: 'text',
    },
    rows: items.map((i) => ({
      code: i.code,
      short_title: i.shortTitle,
      title: i.title,
      year: i.year,
      adopted_at: i.adoptedAt ?? null,
      place: i.place ?? null,
      depositary: i.depositary,
      depositary_body: i.depositaryBody ?? null,
      category: i.category ?? null,
      in_force: i.inForce,
      entry_into_force: i.entryIntoForce ?? null,
      counted_in_2009_report: i.countedIn2009Report ?? false,
      counted_in_2013_report: i.countedIn2013Report ?? false,
      note: i.note ?? null,
    })),
  });
}

export function loadThematicAreas(db: Queryable): Promise<LoadResult> {
  const { items } = readSeedFile<CodedItem>('thematic-areas.json');
  return upsertByNaturalKey(db, {
    table: 'thematic_areas',
    key: ['code'],
    columns: { code: 'text', name: 'text', description: 'text', source: 'text' },
    rows: items.map((i) => ({
      code: i.code,
      name: i.name,
      description: i.description ?? '',
      source: i.source ?? null,
    })),
  });
}

export function loadDeliveryModalities(db: Queryable): Promise<LoadResult> {
  const { items } = readSeedFile<ModalityItem>('delivery-modalities.json');
  return upsertByNaturalKey(db, {
    table: 'delivery_modalities',
    key: ['code'],
    columns: { code: 'text', name: 'text', level: 'text', reporting_level: 'text', source: 'text' },
    rows: items.map((i) => ({
      code: i.code,
      name: i.name,
      level: i.level,
      reporting_level: i.reportingLevel,
      source: i.source ?? null,
    })),
  });
}

export function loadPartnerOrganisations(db: Queryable): Promise<LoadResult> {
  const { items } = readSeedFile<PartnerItem>('partner-organisations.json');
  return upsertByNaturalKey(db, {
    table: 'partner_organisations',
    key: ['code'],
    columns: { code: 'text', name: 'text', name_zh: 'text', kind: 'text', source: 'text', note: 'text' },
    rows: items.map((i) => ({
      code: i.code,
      name: i.name,
      name_zh: i.nameZh ?? null,
      kind: i.kind,
      source: i.source ?? null,
      note: i.note ?? null,
    })),
  });
}

/** Donors, with the row total the annex prints for each. Needs member_states loaded first. */
export function loadDonors(db: Queryable): Promise<LoadResult> {
  const { items } = readSeedFile<DonorItem>('donors.json');
  const { rowTotals } = readDonorAnnex();
  return upsertByNaturalKey(db, {
    table: 'donors',
    key: ['code'],
    columns: {
      code: 'text',
      name: 'text',
      name_zh: 'text',
      kind: 'text',
      member_state: 'text',
      annex_total_usd: 'bigint',
    },
    rows: items.map((d) => ({
      code: d.code,
      name: d.name,
      name_zh: d.nameZh ?? null,
      kind: d.kind,
      member_state: d.kind === 'state' ? (d.memberState ?? d.code) : null,
      annex_total_usd: rowTotals[d.code] ?? null,
    })),
  });
}

/** The annex cells, unique by (donor, year). Needs donors loaded first. */
export function loadDonorContributions(db: Queryable): Promise<LoadResult> {
  return upsertByNaturalKey(db, {
    table: 'donor_contributions',
    key: ['donor', 'year'],
    columns: {
      donor: 'text',
      year: 'int',
      period_end: 'int',
      amount_usd: 'bigint',
      includes_unfinalized_pledges: 'boolean',
      source: 'text',
    },
    rows: donorContributionRows(),
  });
}

/** CTED visits that UNODC joined, unique by (year, State). Needs member_states loaded first. */
export function loadCtedVisits(db: Queryable): Promise<LoadResult> {
  const { items } = readSeedFile<VisitItem>('cted-visits-with-unodc.json');
  return upsertByNaturalKey(db, {
    table: 'cted_visits_with_unodc',
    key: ['year', 'member_state'],
    columns: {
      year: 'int',
      member_state: 'text',
      start_date: 'date',
      end_date: 'date',
      name_zh: 'text',
      source: 'text',
    },
    rows: items.map((v) => ({
      year: v.year,
      member_state: v.memberState,
      start_date: v.startDate ?? null,
      end_date: v.endDate ?? null,
      name_zh: v.nameZh ?? null,
      source: v.source,
    })),
  });
}

/** The 65 States report 000 §7 lists as assisted directly in 2009, in the printed order. */
export function loadStatesAssisted2009(db: Queryable): Promise<LoadResult> {
  const file = readSeedFile<AssistedItem>('states-assisted-2009.json');
  return upsertByNaturalKey(db, {
    table: 'reported_states_assisted',
    key: ['year', 'iso3'],
    columns: {
      year: 'int',
      iso3: 'text',
      position: 'int',
      name: 'text',
      name_zh: 'text',
      un_member: 'boolean',
      note: 'text',
      source: 'text',
    },
    rows: file.items.map((s, i) => ({
      year: STATES_ASSISTED_YEAR,
      iso3: s.iso3,
      position: i + 1,
      name: s.name,
      name_zh: s.nameZh ?? null,
      un_member: s.unMember ?? true,
      note: s.note ?? null,
      source: file.source,
    })),
    scope: `t.year = ${STATES_ASSISTED_YEAR}`,
  });
}

/**
 * Every reference table except member_states (loadMemberStates) and the accounts, in dependency
 * order, in one transaction: either all files are applied or none.
 */
export async function loadReferenceData(ds: DataSource): Promise<LoadResult[]> {
  return ds.transaction(async (tx) => {
    const results: LoadResult[] = [];
    for (const load of [
      loadUniversalInstruments,
      loadThematicAreas,
      loadDeliveryModalities,
      loadPartnerOrganisations,
      loadDonors,
      loadDonorContributions,
      loadCtedVisits,
      loadStatesAssisted2009,
    ]) {
      results.push(await load(tx));
    }
    return results;
  });
}
