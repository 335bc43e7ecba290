import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/common';
import { dataSourceOptions } from '../data-source-options';
import { ensureDatabase } from '../ensure-database';

async function main(): Promise<void> {
  const { databaseUrl } = loadConfig();
  if (await ensureDatabase(databaseUrl)) console.log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const ds = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    console.log(ran.length ? `applied ${ran.map((m) => m.name).join(', ')}` : 'schema is up to date');
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
