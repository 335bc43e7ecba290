import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ConfigModule } from '@app/common';
import { PersistenceModule } from '@app/persistence';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { RequestsModule } from './requests/requests.module';
import { TemporalClientModule } from './temporal/temporal-client.module';

@Module({
  imports: [
    ConfigModule,
    PersistenceModule.forRoot(),
    TemporalClientModule,
    ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: Number(process.env.RATE_LIMIT_PER_MINUTE ?? 600) }] }),
    AuthModule,
    RequestsModule,
  ],
  controllers: [HealthController],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
