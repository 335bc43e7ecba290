import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Role, UUID_PATTERN } from '@app/domain';
import { UserRepository } from '@app/persistence';
import { apiError } from '../common/api-error';
import { ACCESS_KEY, AccessPolicy, Principal } from './access.decorators';

/** RFC 9110: the scheme is case-insensitive (`bearer x` is `Bearer x`). */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

type Claims = { sub: string; sid?: string; exp?: number; nbf?: number };

/** How many verified tokens are remembered (the oldest is forgotten first). */
const VERIFIED_TOKENS = 10_000;

/**
 * Deny by default: a route must declare @Public() or @Roles(...). A route that declares
 * nothing is refused for everyone, so forgetting a decorator can never open data.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UserRepository,
  ) {}

  /**
   * Tokens whose signature and issuer were verified, until their own expiry: a token's claims never
   * change, so a token that verified once verifies again until `exp` (jsonwebtoken's own rule: expired
   * once the current second reaches `exp`). Only tokens this API signed get here; revocation is the
   * principal's business (below), not the token's.
   */
  private readonly verified = new Map<string, Claims & { exp: number }>();

  private async claimsOf(token: string): Promise<Claims> {
    const known = this.verified.get(token);
    if (known && Math.floor(Date.now() / 1000) < known.exp) return known;
    if (known) this.verified.delete(token);
    const claims = await this.jwt.verifyAsync<Claims>(token);
    if (typeof claims.exp === 'number' && claims.nbf === undefined) {
      if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { ...claims, exp: claims.exp });
    }
    return claims;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!policy) throw apiError('NO_ACCESS_POLICY', 'this route declares no access policy');
    if (policy.kind === 'public') return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    const token = BEARER.exec(header ?? '')?.[1];
    if (!token) throw apiError('UNAUTHENTICATED', 'a bearer token is required');
    let claims: Claims;
    try {
      claims = await this.claimsOf(token);
    } catch {
      throw apiError('UNAUTHENTICATED', 'the bearer token is invalid or expired');
    }
    // Role, State and activity come from the database, not from the token, so an administrator's
    // change (or a deactivation, or a sign-out) applies at once: read at most 2 s ago, and forgotten
    // by this process as it makes such a change (UserRepository.principal, PrincipalCache).
    const sid = claims.sid && UUID_PATTERN.test(claims.sid) ? claims.sid : null;
    const user = UUID_PATTERN.test(String(claims.sub)) ? await this.users.principal(claims.sub, sid) : undefined;
    if (!user?.active) throw apiError('UNAUTHENTICATED', 'the account behind this token is deactivated');
    if (user.session_ended) throw apiError('UNAUTHENTICATED', 'the session of this token has ended');
    const principal: Principal = {
      userId: claims.sub,
      email: user.email,
      role: user.role as Role,
      memberState: user.member_state?.trim() ?? null,
    };
    req.principal = principal;
    if (!policy.roles.includes(principal.role)) {
      throw apiError('ROLE_NOT_ALLOWED', `role ${principal.role} may not call this operation`);
    }
    return true;
  }
}
