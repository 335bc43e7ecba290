import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, AppConfig } from '@app/common';
import { temporalConnectionOptions } from '@app/temporal';

/**
 * A lazily connected client: the API boots and reports health even while Temporal is down,
 * and reconnects by itself when it comes back.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly connection: Connection;
  /**
   * Health probes use their own connection without the retry interceptor: a probe must fail fast,
   * and a retry timer left behind by a timed-out probe would fire on a closed channel at shutdown.
   */
  readonly probeConnection: Connection;
  readonly client: Client;

  constructor(@Inject(APP_CONFIG) readonly config: AppConfig) {
    this.connection = Connection.lazy(temporalConnectionOptions(config.temporal));
    this.probeConnection = Connection.lazy({ ...temporalConnectionOptions(config.temporal), interceptors: [] });
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace });
  }

  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.connection.close(), this.probeConnection.close()]);
  }
}

@Global()
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalClientModule {}
