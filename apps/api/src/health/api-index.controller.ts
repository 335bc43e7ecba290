import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';

class LinkDto {
  @ApiProperty({ example: '/api/v1/requests' }) href: string;
  @ApiProperty({ example: 'GET' }) method: string;
  @ApiProperty({ example: 'the requests the caller may see, newest first' }) title: string;
}

class ApiIndexDto {
  @ApiProperty({ example: 'CTAP API' }) name: string;
  @ApiProperty({ example: '1' }) version: string;
  @ApiProperty({ description: 'Where to start', additionalProperties: { $ref: getSchemaPath(LinkDto) } })
  links: Record<string, LinkDto>;
}

const INDEX: ApiIndexDto = {
  name: 'CTAP API',
  version: '1',
  links: {
    token: { href: '/api/v1/auth/token', method: 'POST', title: 'exchange e-mail and password for a bearer token' },
    requests: { href: '/api/v1/requests', method: 'GET', title: 'the requests the caller may see, newest first' },
    submit: { href: '/api/v1/requests', method: 'POST', title: 'submit a request (Idempotency-Key header required)' },
    request: { href: '/api/v1/requests/{reference}', method: 'GET', title: 'one request with its timeline' },
    workQueue: { href: '/api/v1/work-queue', method: 'GET', title: "open requests waiting on the caller's role" },
    reports: { href: '/api/v1/reports', method: 'GET', title: 'the programme reports' },
    users: { href: '/api/v1/users', method: 'GET', title: 'user accounts (administrators)' },
    openapi: { href: '/api/openapi.json', method: 'GET', title: 'the OpenAPI document' },
    docs: { href: '/api/docs', method: 'GET', title: 'interactive API documentation' },
    health: { href: '/health', method: 'GET', title: 'Postgres and Temporal status' },
  },
};

/** `/api/v1` itself: what a person opening the API's address finds, rather than a 404. */
@ApiTags('operations')
@ApiExtraModels(LinkDto)
@Controller('api/v1')
export class ApiIndexController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Index of the API: links to its main resources and documentation' })
  @ApiOkResponse({ type: ApiIndexDto })
  index(): ApiIndexDto {
    return INDEX;
  }
}
