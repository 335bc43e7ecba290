import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/common';
import { PersistenceModule } from '@app/persistence';
import { RequestActivitiesImpl } from './activities/request.activities';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [ConfigModule, PersistenceModule.forRoot()],
  providers: [RequestActivitiesImpl, TemporalWorkerService],
})
export class WorkerModule {}
