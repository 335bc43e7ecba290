import { ExecutionContext, createParamDecorator } from '@nestjs/common';

/**
 * The `Idempotency-Key` header (undefined when absent). A custom decorator rather than
 * @Headers(), so OpenAPI shows the header once, as each operation documents it with @ApiHeader.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest().headers['idempotency-key'];
  return Array.isArray(value) ? value.join(',') : value;
});
