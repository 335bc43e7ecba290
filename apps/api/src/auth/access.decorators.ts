import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { Role } from '@app/domain';
import { ApiProblems } from '../common/api-docs';

export const ACCESS_KEY = 'ctap:access';

export type AccessPolicy = { kind: 'public' } | { kind: 'roles'; roles: Role[] };

/** Open to anyone, authenticated or not. Every use is a deliberate, reviewed exception. */
export const Public = () =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessPolicy),
    ApiExtension('x-ctap-access', { public: true }),
    ApiProblems(429),
  );

/**
 * Authenticated users holding one of these roles. Also documents the operation in OpenAPI:
 * bearer security, the roles (`x-ctap-access`), and the 401/403/429 problem responses.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessPolicy),
    ApiBearerAuth(),
    ApiExtension('x-ctap-access', { roles }),
    ApiProblems(401, [403, `Only ${roles.join(', ')} may call this operation`], 429),
  );

export interface Principal {
  userId: string;
  email: string;
  role: Role;
  memberState: string | null;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});
