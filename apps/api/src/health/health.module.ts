import { Global, Module } from '@nestjs/common';
import { DependencyHealthService } from './dependency-health.service';
import { ApiIndexController } from './api-index.controller';
import { HealthController } from './health.controller';
import { OperationsModule } from '../operations/operations.module';

@Global()
@Module({
  imports: [OperationsModule],
  controllers: [HealthController, ApiIndexController],
  providers: [DependencyHealthService],
  exports: [DependencyHealthService],
})
export class HealthModule {}
