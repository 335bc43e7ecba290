import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ConfigModule } from '@app/common';
import { PersistenceModule } from '@app/persistence';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { OperationsModule } from './operations/operations.module';
import { ReferenceModule } from './reference/reference.module';
import { ReportsModule } from './reports/reports.module';
import { RequestsModule } from './requests/requests.module';
import { TemporalClientModule } from './temporal/temporal-client.module';
import { envLimit } from './common/rate-limits';
import { UsersModule } from './users/users.module';
import { NotificationsModule } from './notifications/notifications.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule,
    PersistenceModule.forRoot(),
    TemporalClientModule,
    HealthModule,
    // Per client IP; read at request time so tests and deployments set it through the environment.
    ThrottlerModule.forRoot({
      throttlers: [{ name: 'default', ttl: 60_000, limit: () => envLimit('RATE_LIMIT_PER_MINUTE', 600) }],
    }),
    AuthModule,
    RequestsModule,
    UsersModule,
    ReportsModule,
    OperationsModule,
    NotificationsModule,
    WebhooksModule,
    ReferenceModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
