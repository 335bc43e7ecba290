import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ERROR_CATALOGUE, ErrorCode, isErrorCode } from '@app/domain';
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

/** The code of an error raised without one (by Nest, Express or body-parser), by its status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'MALFORMED_BODY',
  401: 'UNAUTHENTICATED',
  403: 'ROLE_NOT_ALLOWED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL_ERROR',
};

/** Fixed texts for body-parser's errors, by its `type` (its own messages are not for clients). */
const BODY_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  'entity.parse.failed': { code: 'MALFORMED_BODY', detail: 'request body is not valid JSON' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', detail: 'request body exceeds the size limit' },
  'entity.too.deep': { code: 'BODY_TOO_DEEP', detail: 'request body is nested too deeply' },
  'entity.invalid.utf8': { code: 'MALFORMED_BODY', detail: 'request body is not valid UTF-8' },
  'encoding.unsupported': { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'unsupported content encoding or charset' },
  'charset.unsupported': { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'unsupported content encoding or charset' },
};

/** An RFC 9457 problem for a catalogue code. */
export function problem(code: ErrorCode, detail?: string): ProblemDetails {
  const { status, title } = ERROR_CATALOGUE[code];
  return {
    type: `https://ctap.example.org/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
  };
}

/**
 * Every error leaves as RFC 9457 `application/problem+json` with a code from the catalogue.
 * Unknown errors become a bare 500 without stack or SQL; the details go to the log only.
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
    const body = this.toProblem(exception);
    body.instance = req.originalUrl;
    if (body.status >= 500) {
      this.logger.error(
        `${req.method} ${req.originalUrl} failed: ${exception instanceof Error ? exception.stack : String(exception)}`,
      );
    }
    if (res.headersSent) return;
    if (body.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): ProblemDetails {
    // Nest wraps body-parser's errors (too large, malformed JSON) in an HttpException whose cause
    // is the original; body-parser's own errors carry a status and a type.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    // The router could not percent-decode a path parameter (`%`, `%ED%A0%80`): such a path names
    // nothing, so it is a 404 like any other identifier that names nothing.
    if (cause instanceof URIError)
      return problem('NOT_FOUND', 'nothing at this path (not valid percent-encoded UTF-8)');
    const parserError = cause as { type?: unknown; status?: unknown } | undefined;
    if (typeof parserError?.type === 'string' && typeof parserError.status === 'number') {
      const known = BODY_ERRORS[parserError.type];
      if (known) return problem(known.code, known.detail);
      if (parserError.status >= 400 && parserError.status < 500) return problem('MALFORMED_BODY', 'malformed request');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const b = (typeof raw === 'object' && raw !== null ? raw : { message: raw }) as Record<string, unknown>;
      const code: ErrorCode | undefined = isErrorCode(b.code) ? b.code : CODE_BY_STATUS[status];
      const out: ProblemDetails = code
        ? { ...problem(code), status }
        : { type: 'https://ctap.example.org/problems/error', title: 'Error', status };
      if (typeof b.title === 'string') out.title = b.title;
      if (typeof b.detail === 'string') out.detail = b.detail;
      else if (typeof b.message === 'string') out.detail = b.message;
      else if (Array.isArray(b.message)) out.detail = b.message.join('; ');
      if (Array.isArray(b.errors)) out.errors = b.errors as ProblemDetails['errors'];
      return out;
    }
    return problem('INTERNAL_ERROR');
  }
}
