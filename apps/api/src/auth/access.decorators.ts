import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Role } from '@app/domain';

export const ACCESS_KEY = 'ctap:access';

export type AccessPolicy = { kind: 'public' } | { kind: 'roles'; roles: Role[] };

/** Open to anyone, authenticated or not. Every use is a deliberate, reviewed exception. */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessPolicy);

/** Authenticated users holding one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessPolicy);

export interface Principal {
  userId: string;
  email: string;
  role: Role;
  memberState: string | null;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});
