import { BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; reason: string }[] {
  return errors.flatMap((e) => {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

export function validationException(errors: { field: string; reason: string }[]): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    title: 'Validation failed',
    detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  });
}

/** Unknown fields are refused, not silently dropped: a typo must not pass as a valid request. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationException(flattenValidationErrors(errors)),
  });
}

/** Validates a path parameter against a pattern; a mismatch is a 400 naming the parameter. */
export class ParamPattern implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly pattern: RegExp,
    private readonly reason: string,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !this.pattern.test(value))
      throw validationException([{ field: this.name, reason: this.reason }]);
    return value;
  }
}

export const REFERENCE_PARAM = new ParamPattern(
  'reference',
  /^[A-Za-z0-9-]{1,40}$/,
  'must be a request reference such as CTAP-2026-000001',
);
export const ACTIVITY_KEY_PARAM = new ParamPattern(
  'key',
  /^[A-Za-z0-9._-]{1,80}$/,
  'must be an activity key: 1 to 80 letters, digits or ._-',
);
export const UUID_PARAM = (name: string) =>
  new ParamPattern(name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
