import { ArgumentsHost, BadRequestException, HttpException, Logger } from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';

function run(exception: unknown): { status: number; type: string; body: Record<string, unknown> } {
  const out = { status: 0, type: '', body: {} as Record<string, unknown> };
  const res = {
    headersSent: false,
    status(s: number) {
      out.status = s;
      return this;
    },
    type(t: string) {
      out.type = t;
      return this;
    },
    send(text: string) {
      out.body = JSON.parse(text);
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ method: 'POST', originalUrl: '/api/v1/x' }), getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return out;
}

describe('ProblemDetailsFilter', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('answers an unknown error with a bare 500: no message, stack or SQL', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "uq_users_email"'), {
      query: 'INSERT INTO users (email) VALUES ($1)',
    });
    const out = run(err);
    expect(out).toEqual({
      status: 500,
      type: 'application/problem+json',
      body: {
        type: 'https://ctap.example.org/problems/internal-error',
        title: 'Internal server error',
        status: 500,
        code: 'INTERNAL_ERROR',
        instance: '/api/v1/x',
      },
    });
  });

  it('keeps code, detail and field errors of an HttpException, and nothing else it carries', () => {
    const out = run(
      new BadRequestException({
        code: 'VALIDATION_FAILED',
        detail: 'x: bad',
        errors: [{ field: 'x', reason: 'bad' }],
        cause: new Error('secret'),
      }),
    );
    expect(out.body).toEqual({
      type: 'https://ctap.example.org/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'x: bad',
      errors: [{ field: 'x', reason: 'bad' }],
      instance: '/api/v1/x',
    });
  });

  it('replaces body-parser messages with fixed texts', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token } in JSON at position 19'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(run(new HttpException(parse.message, 400, { cause: parse })).body).toMatchObject({
      status: 400,
      detail: 'request body is not valid JSON',
    });
    const big = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
    expect(run(big).body).toMatchObject({
      status: 413,
      title: 'Payload too large',
      detail: 'request body exceeds the size limit',
    });
  });
});
