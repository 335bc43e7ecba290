import { Module } from '@nestjs/common';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';
import { WorkflowStartReconciler } from './workflow-start.reconciler';

@Module({ controllers: [RequestsController], providers: [RequestsService, WorkflowStartReconciler] })
export class RequestsModule {}
