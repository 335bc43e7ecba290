import { Global, Module } from '@nestjs/common';
import { DependencyHealthService } from './dependency-health.service';
import { ApiIndexController } from './api-index.controller';
import { HealthController } from './health.controller';

@Global()
@Module({
  controllers: [HealthController, ApiIndexController],
  providers: [DependencyHealthService],
  exports: [DependencyHealthService],
})
export class HealthModule {}
