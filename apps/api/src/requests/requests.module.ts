import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';
import { WorkQueueController } from './work-queue.controller';
import { WorkflowStartReconciler } from './workflow-start.reconciler';

@Module({
  controllers: [RequestsController, DecisionsController, ActivitiesController, WorkQueueController],
  providers: [RequestsService, DecisionsService, WorkflowStartReconciler],
  exports: [RequestsService],
})
export class RequestsModule {}
