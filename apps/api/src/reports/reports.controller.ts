import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { toCsv } from './report-csv';
import { REPORTS, ReportName } from './report-queries';
import { NO_QUERY, ReportCatalogueDto, ReportQuery } from './report-query.dto';
import { ReportResult, ReportsService } from './reports.service';

/**
 * CTED and UNODC staff, supervisors included; a focal point sees the same reports, counting its
 * own State only (ReportsService.scopeOf).
 */
const REPORT_ROLES = [Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor, Role.MemberState];

const describe = (name: ReportName) => ({
  summary: REPORTS[name].title,
  description: `${REPORTS[name].description}\n\nA focal point's figures count its own State only (another State in memberState: 404). Rows carry a drill-down (the references behind the figure, at most 100). See docs/REPORTS.md.`,
});
const OK = {
  description:
    'The report: { report, title, description, from, to, generatedAt, columns, rows[] } (text/csv with ?format=csv)',
};
const BAD_QUERY: [number, string] = [
  400,
  'from/to is not a date YYYY-MM-DD, to is before from, format is not json or csv, or an unknown parameter was given',
];
const OTHER_STATE: [number, string] = [404, "A focal point asked for another State's figures"];

/** Thin: every report is one service call; `?format=csv` renders the same rows as CSV. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'The available reports' })
  @ApiOkResponse({ type: ReportCatalogueDto })
  @ApiProduces('application/json')
  @ApiProblems([400, 'This operation takes no query parameters'])
  catalogue(@Query(NO_QUERY) _query: unknown) {
    return { items: this.reports.catalogue() };
  }

  @Get('states-assisted')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('states-assisted'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  statesAssisted(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('states-assisted', user, q, res);
  }

  @Get('activities-by-modality')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('activities-by-modality'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  activitiesByModality(
    @CurrentUser() user: Principal,
    @Query() q: ReportQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send('activities-by-modality', user, q, res);
  }

  @Get('participants')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('participants'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  participants(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('participants', user, q, res);
  }

  @Get('outcomes')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('outcomes'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  outcomes(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('outcomes', user, q, res);
  }

  @Get('referral-funnel')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('referral-funnel'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  referralFunnel(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('referral-funnel', user, q, res);
  }

  @Get('contributions')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('contributions'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  contributions(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('contributions', user, q, res);
  }

  @Get('stage-times')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('stage-times'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  stageTimes(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('stage-times', user, q, res);
  }

  @Get('deadlines-missed')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('deadlines-missed'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  deadlinesMissed(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('deadlines-missed', user, q, res);
  }

  @Get('open-requests')
  @Roles(...REPORT_ROLES)
  @ApiOperation(describe('open-requests'))
  @ApiProblems(BAD_QUERY, OTHER_STATE)
  @ApiOkResponse(OK)
  openRequests(@CurrentUser() user: Principal, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    return this.send('open-requests', user, q, res);
  }

  private async send(name: ReportName, user: Principal, q: ReportQuery, res: Response): Promise<ReportResult | string> {
    const result = await this.reports.run(name, q, this.reports.scopeOf(user, q.memberState));
    if (q.format !== 'csv') return result;
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}_${q.from ?? 'start'}_${q.to ?? 'end'}.csv"`);
    return toCsv(result);
  }
}
