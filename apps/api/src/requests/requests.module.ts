import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';
import { AssignmentController } from './assignment.controller';
import { AssignmentService } from './assignment.service';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';
import { WorkQueueController } from './work-queue.controller';
import { WorkflowStartReconciler } from './workflow-start.reconciler';

@Module({
  controllers: [
    RequestsController,
    DecisionsController,
    ActivitiesController,
    WorkQueueController,
    AssignmentController,
  ],
  providers: [RequestsService, DecisionsService, AssignmentService, WorkflowStartReconciler],
  exports: [RequestsService],
})
export class RequestsModule {}
