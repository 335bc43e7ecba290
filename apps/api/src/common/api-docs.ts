import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { FIELD_RULES, type FieldRule } from '@app/domain';

export class FieldErrorDto {
  @ApiProperty({ example: 'questions[0]' }) field: string;
  @ApiProperty({ example: 'must not be blank', description: 'In English, for people reading the response' })
  reason: string;
  @ApiProperty({
    enum: FIELD_RULES,
    example: 'blank',
    description: 'Stable machine-readable kind of problem, for clients to word in their own language',
  })
  rule: FieldRule;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    example: { max: 200 },
    description: 'The values the rule was checked against (max, min, values, field, first, …)',
  })
  params?: Record<string, string | number>;
}

/** RFC 9457 problem details: the body of every error this API returns (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://ctap.example.org/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiPropertyOptional({ example: 'questions[0]: must not be blank' }) detail?: string;
  @ApiPropertyOptional({ example: '/api/v1/requests/CTAP-2026-000001/actions/request-information' }) instance?: string;
  @ApiPropertyOptional({ description: 'Stable machine-readable reason', example: 'VALIDATION_FAILED' }) code?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per invalid field (400 and 422)' })
  errors?: FieldErrorDto[];
}

const PROBLEMS: Record<number, { description: string; example: Record<string, unknown> }> = {
  400: {
    description: 'Invalid input: a field fails validation or is unknown (the field is named in `errors`)',
    example: {
      type: 'https://ctap.example.org/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'questions[0]: must not be blank',
      errors: [{ field: 'questions[0]', reason: 'must not be blank', rule: 'blank' }],
    },
  },
  401: {
    description: 'No bearer token, or an invalid, expired or deactivated one',
    example: {
      type: 'https://ctap.example.org/problems/unauthenticated',
      title: 'Unauthorized',
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: 'a bearer token is required',
    },
  },
  403: {
    description: "The caller's role may never call this operation",
    example: {
      type: 'https://ctap.example.org/problems/role-not-allowed',
      title: 'Forbidden',
      status: 403,
      code: 'ROLE_NOT_ALLOWED',
      detail: 'role member_state may not call this operation',
    },
  },
  404: {
    description: "No such resource, or not yours to see (another State's request answers 404, never 403)",
    example: {
      type: 'https://ctap.example.org/problems/not-found',
      title: 'Not found',
      status: 404,
      code: 'NOT_FOUND',
      detail: 'request CTAP-2026-000001 not found',
    },
  },
  409: {
    description: 'Refused in the current state (the reason is in `code` and `detail`)',
    example: {
      type: 'https://ctap.example.org/problems/stage-not-allowed',
      title: 'Conflict',
      status: 409,
      code: 'STAGE_NOT_ALLOWED',
      detail: 'approve_plan is not allowed in stage cted_review',
    },
  },
  413: {
    description: 'Request body larger than 256 kB',
    example: {
      type: 'https://ctap.example.org/problems/payload-too-large',
      title: 'Payload too large',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'request body exceeds the size limit',
    },
  },
  422: {
    description:
      'Well-formed but not acceptable for this request (e.g. a need id it does not have, a plan version that is not the proposed one)',
    example: {
      type: 'https://ctap.example.org/problems/invalid-payload',
      title: 'Unprocessable entity',
      status: 422,
      code: 'INVALID_PAYLOAD',
      detail: 'planVersion must be the proposed version 2',
      errors: [{ field: 'planVersion', reason: 'planVersion must be the proposed version 2', rule: 'conflict' }],
    },
  },
  429: {
    description: 'Rate limit exceeded; retry after the number of seconds in `Retry-After`',
    example: {
      type: 'https://ctap.example.org/problems/too-many-requests',
      title: 'Too many requests',
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      detail: 'ThrottlerException: Too Many Requests',
    },
  },
  503: {
    description:
      'Postgres or Temporal is down or did not answer in time (`Retry-After` says when to retry). `DEPENDENCY_UNAVAILABLE`: nothing was done. `OUTCOME_UNKNOWN`: the call may have been recorded; retry with the same decisionId / Idempotency-Key',
    example: {
      type: 'https://ctap.example.org/problems/outcome-unknown',
      title: 'Service unavailable',
      status: 503,
      code: 'OUTCOME_UNKNOWN',
      detail:
        'the workflow service did not answer in time; the decision may have been recorded: retry with the same decisionId',
    },
  },
};

export type ProblemStatus = keyof typeof PROBLEMS;

/**
 * Documents error responses as `application/problem+json` with the shared schema and an example.
 * Pass a status, or `[status, description]` to say what that status means for this operation.
 */
export function ApiProblems(...statuses: (number | [number, string])[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldErrorDto),
    ...statuses.map((s) => {
      const [status, description] = Array.isArray(s) ? s : [s, undefined];
      const known = PROBLEMS[status] ?? { description: 'Error', example: { status } };
      return ApiResponse({
        status,
        description: description ?? known.description,
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDetailsDto) },
            example: { ...known.example, status },
          },
        },
      });
    }),
  );
}
