import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/persistence';
import { readTestEnv } from './support/test-env';

/** The committed migrations build exactly the schema the entities describe: no drift, nothing to generate. */
describe('schema', () => {
  it('has no difference between the migrated database and the entities', async () => {
    const ds = await new DataSource(dataSourceOptions(readTestEnv().databaseUrl)).initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
    }
  });
});
