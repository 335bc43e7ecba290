import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; reason: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
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
