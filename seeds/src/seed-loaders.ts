import * as argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { DEV_ACCOUNTS } from './dev-accounts';
import { readSeedFile } from './seed-files';

export { loadReferenceData } from './reference-loaders';

interface MemberStateRow {
  iso3: string;
  iso2: string;
  name: string;
  m49: string;
  region: string;
  subregion: string;
}

/** Upsert by ISO code: running it twice changes nothing. Returns the rows inserted or changed. */
export async function loadMemberStates(ds: DataSource): Promise<number> {
  const { items } = readSeedFile<MemberStateRow>('member-states.json');
  const result = await ds.query(
    `INSERT INTO member_states (iso3, iso2, name, m49, region, subregion)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(iso3 text, iso2 text, name text, m49 text, region text, subregion text)
     ON CONFLICT (iso3) DO UPDATE SET iso2 = EXCLUDED.iso2, name = EXCLUDED.name, m49 = EXCLUDED.m49, region = EXCLUDED.region, subregion = EXCLUDED.subregion
       WHERE (member_states.iso2, member_states.name, member_states.m49, member_states.region, member_states.subregion)
         IS DISTINCT FROM (EXCLUDED.iso2, EXCLUDED.name, EXCLUDED.m49, EXCLUDED.region, EXCLUDED.subregion)
     RETURNING iso3`,
    [JSON.stringify(items)],
  );
  return result.length;
}

/** Inserts missing development accounts; existing ones (and their passwords) are left alone. */
export async function loadDevAccounts(ds: DataSource): Promise<number> {
  let inserted = 0;
  for (const a of DEV_ACCOUNTS) {
    const [exists] = await ds.query('SELECT 1 FROM users WHERE email = $1', [a.email]);
    if (exists) continue;
    const hash = await argon2.hash(a.password, { type: argon2.argon2id });
    const rows = await ds.query(
      `INSERT INTO users (email, display_name, password_hash, role, member_state) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [a.email, a.displayName, hash, a.role, a.memberState],
    );
    inserted += rows.length;
  }
  return inserted;
}
