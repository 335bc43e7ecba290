import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from '@app/persistence';
import { ProblemDetailsFilter } from './problem-details.filter';
import { isPostgresUnavailable } from './dependency-errors';

function pgError(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

function run(exception: unknown, method: string) {
  const out = { status: 0, headers: {} as Record<string, string>, body: {} as Record<string, unknown> };
  const suspected: string[] = [];
  const res = {
    headersSent: false,
    getHeader: (k: string) => out.headers[k.toLowerCase()],
    setHeader: (k: string, v: string) => (out.headers[k.toLowerCase()] = v),
    status(s: number) {
      out.status = s;
      return this;
    },
    type(t: string) {
      out.headers['content-type'] = t;
      return this;
    },
    send(text: string) {
      out.body = JSON.parse(text);
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ method, originalUrl: '/api/v1/x' }), getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter((d) => suspected.push(d)).catch(exception, host);
  return { ...out, suspected };
}

describe('Postgres failures are retryable 503s, never bare 500s', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  const lost = [
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    [
      'admin shutdown',
      new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command')),
    ],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a transaction whose connection TypeORM released when it broke',
      Object.assign(new Error('Database connection provided by a query runner was already released'), {
        name: 'QueryRunnerProviderAlreadyReleasedError',
      }),
    ],
    ['both addresses refused', new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')])],
  ] as const;

  it.each(lost)('%s: recognised as the database being unavailable', (_name, err) => {
    expect(isPostgresUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation', new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key'))],
    ['data exception', pgError('22P05', 'unsupported Unicode escape sequence')],
    ['a bug', new TypeError('x is undefined')],
  ])('%s: not a dependency failure', (_name, err) => {
    expect(isPostgresUnavailable(err)).toBe(false);
  });

  it('a read answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, and the health state re-probes', () => {
    const out = run(lost[0][1], 'GET');
    expect(out).toMatchObject({
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '2' },
      body: { status: 503, code: 'DEPENDENCY_UNAVAILABLE' },
      suspected: ['postgres'],
    });
  });

  it('a write answers 503 OUTCOME_UNKNOWN: it may have committed before the connection went', () => {
    const out = run(lost[1][1], 'POST');
    expect(out).toMatchObject({ status: 503, body: { code: 'OUTCOME_UNKNOWN' } });
    expect(out.body.detail).toMatch(/same Idempotency-Key or decisionId/);
  });

  it('anything else stays a 500 without details', () => {
    expect(run(new TypeError('boom'), 'GET')).toMatchObject({ status: 500, suspected: [] });
  });
});
