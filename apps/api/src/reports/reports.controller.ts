import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role } from '@app/domain';
import { Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { toCsv } from './report-csv';
import { REPORTS, ReportName } from './report-queries';
import { NO_QUERY, ReportCatalogueDto, ReportQuery } from './report-query.dto';
import { ReportResult, ReportsService } from './reports.service';

const describe = (name: ReportName) => ({
  summary: REPORTS[name].title,
  description: `${REPORTS[name].description}\n\nRows carry a drill-down (the references behind the figure, at most 100). See docs/REPORTS.md.`,
});
const OK = {
  description:
    'The report: { report, title, description, from, to, generatedAt, columns, rows[] } (text/csv with ?format=csv)',
};
const BAD_QUERY: [number, string] = [
  400,
  'from/to is not a date YYYY-MM-DD, to is before from, format is not json or csv, or an unknown parameter was given',
];

/** Reports are for CTED and UNODC staff, supervisors included. */
const REPORT_READERS = [Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor];

/** Thin: every report is one service call; `?format=csv` renders the same rows as CSV. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @Roles(...REPORT_READERS)
  @ApiOperation({ summary: 'The available reports' })
  @ApiOkResponse({ type: ReportCatalogueDto })
  @ApiProduces('application/json')
  @ApiProblems([400, 'This operation takes no query parameters'])
  catalogue(@Query(NO_QUERY) _query: unknown) {
    return { items: this.reports.catalogue() };
  }

  @Get('states-assisted')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('states-assisted'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  statesAssisted(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('states-assisted', q, res);
  }

  @Get('activities-by-modality')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('activities-by-modality'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  activitiesByModality(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('activities-by-modality', q, res);
  }

  @Get('participants')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('participants'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  participants(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('participants', q, res);
  }

  @Get('outcomes')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('outcomes'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  outcomes(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('outcomes', q, res);
  }

  @Get('referral-funnel')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('referral-funnel'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  referralFunnel(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('referral-funnel', q, res);
  }

  @Get('contributions')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('contributions'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  contributions(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('contributions', q, res);
  }

  @Get('stage-times')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('stage-times'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  stageTimes(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('stage-times', q, res);
  }

  @Get('deadlines-missed')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('deadlines-missed'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  deadlinesMissed(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('deadlines-missed', q, res);
  }

  @Get('open-requests')
  @Roles(...REPORT_READERS)
  @ApiOperation(describe('open-requests'))
  @ApiProblems(BAD_QUERY)
  @ApiOkResponse(OK)
  openRequests(@Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('open-requests', q, res);
  }

  private async send(name: ReportName, q: ReportQuery, res: Response): Promise<ReportResult | string> {
    const result = await this.reports.run(name, q);
    if (q.format !== 'csv') return result;
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}_${q.from ?? 'start'}_${q.to ?? 'end'}.csv"`);
    return toCsv(result);
  }
}
