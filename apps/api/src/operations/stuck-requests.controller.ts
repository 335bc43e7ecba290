import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Role } from '@app/domain';
import { Roles } from '../auth/access.decorators';
import { ApiProblems } from '../common/api-docs';
import { StuckRequestsService, StuckWorkflow } from './stuck-requests.service';

class StuckWorkflowDto implements StuckWorkflow {
  @ApiProperty({ example: 'assistance-request/CTAP-2026-000042' }) workflowId: string;
  @ApiProperty({ type: String, nullable: true, example: 'CTAP-2026-000042' }) reference: string | null;
  @ApiProperty({ enum: ['activity', 'workflow_task'] }) kind: 'activity' | 'workflow_task';
  @ApiProperty({ type: String, nullable: true, example: 'persistEvents' }) activityType: string | null;
  @ApiProperty({ example: 12 }) attempt: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) since: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'new row for relation "request_events" violates …' })
  error: string | null;
}

class StuckWorkflowListDto {
  @ApiProperty({ type: [StuckWorkflowDto] }) items: StuckWorkflowDto[];
  @ApiPropertyOptional({ example: 5, description: 'Failed attempts from which a step is listed' })
  minAttempts: number;
}

@ApiTags('operations')
@Controller('api/v1/admin')
export class StuckRequestsController {
  constructor(private readonly stuck: StuckRequestsService) {}

  @Get('stuck-requests')
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Requests whose workflow cannot move (administrators only)',
    description:
      'Running workflows whose workflow task or activity has failed at least `minAttempts` times in a row, ' +
      'with the last error and when the failing step was first scheduled, oldest first. docs/OPERATIONS.md ' +
      'gives the repair procedure.',
  })
  @ApiOkResponse({ type: StuckWorkflowListDto })
  @ApiProblems(503)
  async list(): Promise<StuckWorkflowListDto> {
    return { items: await this.stuck.list(), minAttempts: this.stuck.minAttempts };
  }
}
