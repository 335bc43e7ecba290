import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/common';
import { dataSourceOptions } from '@app/persistence';
import { loadDevAccounts, loadMemberStates, loadReferenceData } from './seed-loaders';

async function main(): Promise<void> {
  const config = loadConfig();
  const ds = await new DataSource(dataSourceOptions(config.databaseUrl)).initialize();
  try {
    console.log(`member states: ${await loadMemberStates(ds)} inserted or changed`);
    for (const r of await loadReferenceData(ds)) {
      console.log(`${r.table}: ${r.rows} in file, ${r.inserted} inserted, ${r.updated} updated, ${r.deleted} deleted`);
    }
    if (config.nodeEnv !== 'production') console.log(`development accounts: ${await loadDevAccounts(ds)} inserted`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
