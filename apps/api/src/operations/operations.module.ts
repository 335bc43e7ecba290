import { Module } from '@nestjs/common';
import { StuckRequestsController } from './stuck-requests.controller';
import { StuckRequestsService } from './stuck-requests.service';

@Module({
  controllers: [StuckRequestsController],
  providers: [StuckRequestsService],
  exports: [StuckRequestsService],
})
export class OperationsModule {}
