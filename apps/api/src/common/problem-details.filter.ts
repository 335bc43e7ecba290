import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Dependency, RETRY_AFTER_SECONDS, dependencyUnavailable, isPostgresUnavailable } from './dependency-errors';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: { field: string; reason: string }[];
}

/**
 * Every error leaves as RFC 9457 `application/problem+json`. Unknown errors become a bare 500
 * without stack or SQL; the details go to the log only.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  /** `onDependencyFailure` lets the dependency health state re-probe at once. */
  constructor(private readonly onDependencyFailure?: (dependency: Dependency) => void) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (!(exception instanceof HttpException) && isPostgresUnavailable(exception)) {
      // A lost database is a retryable 503, never a bare 500. A read did nothing; a write may have
      // committed before the connection went, so its outcome is unknown (retry with the same key).
      this.onDependencyFailure?.('postgres');
      exception = dependencyUnavailable('postgres', !['GET', 'HEAD', 'OPTIONS'].includes(req.method));
    }
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl;
    if (problem.status >= 500) {
      this.logger.error(
        `${req.method} ${req.originalUrl} failed: ${exception instanceof Error ? exception.stack : String(exception)}`,
      );
    }
    if (res.headersSent) return;
    if (problem.status === 503 && !res.getHeader('Retry-After'))
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    // Nest wraps body-parser's errors (too large, malformed JSON) in an HttpException whose cause
    // is the original: answer those with a fixed text rather than the parser's message.
    const cause =
      exception instanceof HttpException
        ? (exception.cause as { type?: unknown; status?: unknown } | undefined)
        : undefined;
    if (typeof cause?.type === 'string' && cause.type.startsWith('entity.') && typeof cause.status === 'number')
      return this.bodyProblem(cause as { type: string; status: number });
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const b = (typeof body === 'object' && body !== null ? body : { message: body }) as Record<string, unknown>;
      const problem: ProblemDetails = {
        type: `https://ctap.example.org/problems/${String(b.code ?? HttpStatus[status] ?? 'error')
          .toLowerCase()
          .replace(/_/g, '-')}`,
        title:
          typeof b.title === 'string'
            ? b.title
            : (HttpStatus[status] ?? 'Error')
                .replace(/_/g, ' ')
                .toLowerCase()
                .replace(/^./, (c) => c.toUpperCase()),
        status,
      };
      if (typeof b.detail === 'string') problem.detail = b.detail;
      else if (typeof b.message === 'string') problem.detail = b.message;
      else if (Array.isArray(b.message)) problem.detail = b.message.join('; ');
      if (typeof b.code === 'string') problem.code = b.code;
      if (Array.isArray(b.errors)) problem.errors = b.errors as ProblemDetails['errors'];
      return problem;
    }
    const e = exception as { type?: string; status?: number; message?: string };
    // body-parser errors (too large, malformed JSON) carry a status but are not HttpExceptions.
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
      return this.bodyProblem(e as { type?: string; status: number });
    return { type: 'https://ctap.example.org/problems/internal-error', title: 'Internal server error', status: 500 };
  }

  private bodyProblem(e: { type?: string; status: number }): ProblemDetails {
    const title =
      e.type === 'entity.too.large' ? 'Payload too large' : e.status === 415 ? 'Unsupported media type' : 'Bad request';
    const detail =
      e.type === 'entity.parse.failed'
        ? 'request body is not valid JSON'
        : e.type === 'entity.too.large'
          ? 'request body exceeds the size limit'
          : e.status === 415
            ? 'unsupported content encoding or charset'
            : 'malformed request';
    return { type: `https://ctap.example.org/problems/${e.type ?? 'bad-request'}`, title, status: e.status, detail };
  }
}
