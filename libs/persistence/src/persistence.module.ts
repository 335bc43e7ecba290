import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { dataSourceOptions } from './data-source-options';
import { EventStore } from './event-store';
import { SharedActivityClaims } from './shared-activity-claims';

@Module({})
export class PersistenceModule {
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config.databaseUrl),
            // Keep retrying at boot: Postgres may still be starting.
            retryAttempts: 30,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => {
            const ds = new DataSource(options!);
            await ds.initialize();
            // An idle client losing its connection (Postgres restart) must not crash the process.
            const pool = (ds.driver as unknown as { master?: { on(e: string, cb: (err: Error) => void): void } })
              .master;
            pool?.on('error', (err) =>
              console.error(
                JSON.stringify({ level: 'error', context: 'Postgres', message: `idle client error: ${err.message}` }),
              ),
            );
            return ds;
          },
        }),
      ],
      providers: [
        { provide: EventStore, inject: [DataSource], useFactory: (ds: DataSource) => new EventStore(ds) },
        {
          provide: SharedActivityClaims,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new SharedActivityClaims(ds),
        },
      ],
      exports: [EventStore, SharedActivityClaims],
    };
  }
}
