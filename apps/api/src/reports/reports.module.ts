import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Management reports (CTED and UNODC): raw SQL over the event log, the read model and the reference data. */
@Module({ controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
