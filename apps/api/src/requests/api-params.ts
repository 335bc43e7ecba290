import { ApiParam } from '@nestjs/swagger';

/** Path parameter `reference`, documented once. */
export const ApiReference = () =>
  ApiParam({
    name: 'reference',
    description: "The request's reference",
    schema: { type: 'string', pattern: '^[A-Za-z0-9-]{1,40}$', example: 'CTAP-2026-000001' },
  });

/** Path parameter `key` of a delivery activity. */
export const ApiActivityKey = () =>
  ApiParam({
    name: 'key',
    description: "The activity's key in the work plan",
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,80}$', example: 'drafting-ws-1' },
  });
