import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { dataSourceOptions } from './data-source-options';
import { EventStore } from './event-store';
import { SharedActivityClaims } from './shared-activity-claims';
import { REPOSITORIES } from './repositories';

/** Classes built on the data source alone: the event store, the claims and the repositories. */
const ON_DATA_SOURCE = [EventStore, SharedActivityClaims, ...REPOSITORIES] as const;

type PgClient = { on(event: 'error', listener: (err: Error) => void): unknown };

const logLost = (what: string) => (err: Error) =>
  console.error(JSON.stringify({ level: 'error', context: 'Postgres', message: `${what}: ${err.message}` }));

@Module({})
export class PersistenceModule {
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            const options = dataSourceOptions(config.databaseUrl);
            return {
              ...options,
              // A client checked out between two queries has no pool listener (TypeORM detaches its
              // own when it hands the client back): a restart would emit an unhandled 'error' event
              // and crash the process. Every client gets a listener for its whole life (node-postgres #2439).
              extra: {
                ...options.extra,
                onConnect: (client: PgClient) => client.on('error', logLost('connection lost')),
              },
              // Keep retrying at boot: Postgres may still be starting.
              retryAttempts: 30,
              retryDelay: 1000,
            };
          },
          dataSourceFactory: async (options) => {
            const ds = new DataSource(options!);
            await ds.initialize();
            // An idle client losing its connection (Postgres restart) must not crash the process.
            const pool = (ds.driver as unknown as { master?: { on(e: string, cb: (err: Error) => void): void } })
              .master;
            pool?.on('error', logLost('idle client error'));
            return ds;
          },
        }),
      ],
      providers: ON_DATA_SOURCE.map((type) => ({
        provide: type,
        inject: [DataSource],
        useFactory: (ds: DataSource) => new type(ds),
      })),
      exports: [...ON_DATA_SOURCE],
    };
  }
}
