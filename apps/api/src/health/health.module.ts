import { Global, Module } from '@nestjs/common';
import { DependencyHealthService } from './dependency-health.service';
import { HealthController } from './health.controller';

@Global()
@Module({
  controllers: [HealthController],
  providers: [DependencyHealthService],
  exports: [DependencyHealthService],
})
export class HealthModule {}
