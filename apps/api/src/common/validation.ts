import { PipeTransform } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { z } from 'zod';
import { ACTIVITY_KEY_PATTERN, REFERENCE_PATTERN, UUID_PATTERN, fieldErrors } from '@app/domain';
import { notFound, validationException } from './api-error';

export { validationException };

/**
 * Validates bodies and query strings with their zod schemas (libs/domain/src/schemas); a failure
 * is a 400 naming each field. Unknown fields are refused, not silently dropped.
 */
export const ValidationPipe = createZodValidationPipe({
  createValidationException: (error) => validationException(fieldErrors(error as z.ZodError)),
});

/**
 * A path identifier. One rule for every shape: an identifier that names nothing the caller can
 * see, malformed or not, is a 404 naming the parameter (so its shape reveals nothing either).
 */
export class PathId implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly pattern: RegExp,
    private readonly what: string,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) throw notFound(this.name, this.what);
    return value;
  }
}

export const REFERENCE_PARAM = new PathId('reference', REFERENCE_PATTERN, 'request');
export const ACTIVITY_KEY_PARAM = new PathId('key', ACTIVITY_KEY_PATTERN, 'delivery activity');
/** A UUID path parameter naming a `what` (`user`, `webhook subscription`). */
export const UUID_PARAM = (name: string, what: string) => new PathId(name, UUID_PATTERN, what);
