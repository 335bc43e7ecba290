import type { DataSource } from 'typeorm';

export interface MemberStateRow {
  iso3: string;
  iso2: string;
  name: string;
  region: string;
  subregion: string;
}

export interface CodeNameRow {
  code: string;
  name: string;
}

export interface ModalityRow extends CodeNameRow {
  level: string;
}

export interface InstrumentRow {
  code: string;
  short_title: string;
  title: string;
  year: number;
}

export interface OrganisationRow {
  code: string;
  name: string;
  name_zh: string | null;
  kind: string;
}

export interface ReferenceDataRows {
  memberStates: MemberStateRow[];
  thematicAreas: CodeNameRow[];
  modalities: ModalityRow[];
  instruments: InstrumentRow[];
  partners: OrganisationRow[];
  donors: OrganisationRow[];
}

export const REFERENCE_DATA_SQL = {
  memberStates: 'SELECT iso3, iso2, name, region, subregion FROM member_states ORDER BY name',
  thematicAreas: 'SELECT code, name FROM thematic_areas ORDER BY code',
  modalities: 'SELECT code, name, level FROM delivery_modalities ORDER BY code',
  instruments: 'SELECT code, short_title, title, year FROM universal_instruments ORDER BY year, code',
  partners: 'SELECT code, name, name_zh, kind FROM partner_organisations ORDER BY name',
  donors: 'SELECT code, name, name_zh, kind FROM donors ORDER BY name',
} as const;

/** The reference tables the seeds load (UN Member States, taxonomy, instruments, partners, donors). */
export class ReferenceDataRepository {
  constructor(private readonly ds: DataSource) {}

  async all(): Promise<ReferenceDataRows> {
    const q = (sql: string) => this.ds.query(sql);
    const [memberStates, thematicAreas, modalities, instruments, partners, donors] = await Promise.all([
      q(REFERENCE_DATA_SQL.memberStates),
      q(REFERENCE_DATA_SQL.thematicAreas),
      q(REFERENCE_DATA_SQL.modalities),
      q(REFERENCE_DATA_SQL.instruments),
      q(REFERENCE_DATA_SQL.partners),
      q(REFERENCE_DATA_SQL.donors),
    ]);
    return { memberStates, thematicAreas, modalities, instruments, partners, donors };
  }
}
