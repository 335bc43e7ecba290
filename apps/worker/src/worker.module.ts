import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/common';
import { PersistenceModule } from '@app/persistence';
import { OutboxActivitiesImpl } from './activities/outbox.activities';
import { RequestActivitiesImpl } from './activities/request.activities';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [ConfigModule, PersistenceModule.forRoot()],
  providers: [RequestActivitiesImpl, OutboxActivitiesImpl, TemporalWorkerService],
})
export class WorkerModule {}
