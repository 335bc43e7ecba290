import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { DependencyHealthService } from './dependency-health.service';
import { StuckRequestsService } from '../operations/stuck-requests.service';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) status: string;
  @ApiProperty({ example: 3 }) latencyMs: number;
  @ApiPropertyOptional({ example: 'no answer within 2000 ms' }) error?: string;
}

class ChecksDto {
  @ApiProperty({ type: CheckDto }) postgres: CheckDto;
  @ApiProperty({ type: CheckDto }) temporal: CheckDto;
}

class HealthDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) status: string;
  @ApiProperty({ type: ChecksDto }) checks: ChecksDto;
  @ApiPropertyOptional({
    example: 0,
    description:
      'Requests whose workflow task or activity keeps failing (GET /api/v1/admin/stuck-requests lists them); absent while a dependency is down',
  })
  stuckRequests?: number;
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly dependencies: DependencyHealthService,
    private readonly stuck: StuckRequestsService,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness of the API and its two dependencies; 503 when one is down' })
  @ApiResponse({ status: 200, type: HealthDto, description: 'Postgres and Temporal both answer' })
  @ApiResponse({
    status: 503,
    type: HealthDto,
    description: 'Postgres or Temporal does not answer (same body, status down)',
  })
  async health(@Res() res: Response): Promise<void> {
    // The same probes that open and close the fail-fast gate of decisions and submissions.
    const { postgres, temporal } = await this.dependencies.probeAll();
    const up = postgres.status === 'up' && temporal.status === 'up';
    // Stuck requests do not make the service unhealthy, but an operator must see them.
    const stuckRequests = up
      ? await Promise.race([
          this.stuck.count().catch(() => undefined),
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000).unref()),
        ])
      : undefined;
    res
      .status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: up ? 'up' : 'down', checks: { postgres, temporal }, stuckRequests });
  }
}
