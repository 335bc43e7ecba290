import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@app/domain';
import { CurrentUser, Principal, Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { WorkQueueCountsQuery, WorkQueueQuery } from './dto/list-requests.query';
import { RequestPageDto, WorkQueueCountsDto } from './request.mapper';
import { RequestsService } from './requests.service';

@ApiTags('requests')
@Controller('api/v1/work-queue')
export class WorkQueueController {
  constructor(private readonly requests: RequestsService) {}

  @Get()
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor)
  @ApiOperation({
    summary: 'My work queue: open requests waiting on my role, nearest deadline first',
    description:
      "Requests whose current stage is owned by the caller's role (`owner`); for a focal point, only its own State's. " +
      'Urgent requests first, then by `nextDeadlineAt` ascending (requests without a deadline last), then id. Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: RequestPageDto })
  @ApiProblems([400, 'A query parameter is invalid'], [422, 'cursor was not issued by this API'])
  list(@CurrentUser() user: Principal, @Query() query: WorkQueueQuery): Promise<RequestPageDto> {
    return this.requests.workQueue(user, query);
  }

  @Get('counts')
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor)
  @ApiOperation({
    summary: 'How many requests my whole work queue holds, per stage and overdue',
    description: 'Over every page of `GET /api/v1/work-queue` with the same filters (`overdue`, `assignee`).',
  })
  @ApiOkResponse({ type: WorkQueueCountsDto })
  @ApiProblems([400, 'A query parameter is invalid'])
  counts(@CurrentUser() user: Principal, @Query() query: WorkQueueCountsQuery): Promise<WorkQueueCountsDto> {
    return this.requests.workQueueCounts(user, query);
  }
}
