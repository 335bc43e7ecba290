import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import { apiError } from '../common/api-error';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Role } from '@app/domain';
import { ApiProblems } from '../common/api-docs';
import { authTokenLimit } from '../common/rate-limits';
import { CurrentUser, Principal, Public, Roles } from './access.decorators';
import { TokenRequestDto } from './auth.dto';
import { IssuedSession, SessionService } from './session.service';
import { MeDto, SessionDto, UpdateMeDto } from './session.dto';

export const REFRESH_COOKIE = 'ctap_refresh';
/** The cookie is sent only to the session routes, never with ordinary API calls. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth/session';
export const CSRF_HEADER = 'x-ctap-csrf';

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Routes that read the cookie need a custom header: a cross-site form cannot set one, and a
 * cross-origin script cannot send one without a CORS preflight this API never grants.
 */
function requireCsrfHeader(req: Request): void {
  if (req.headers[CSRF_HEADER] !== '1') {
    throw apiError(
      'CSRF_HEADER_REQUIRED',
      `the ${CSRF_HEADER} header (value 1) is required on cookie-authenticated routes`,
    );
  }
}

const CSRF = ApiHeader({ name: 'X-CTAP-CSRF', required: true, description: 'Must be `1` (CSRF protection)' });

@ApiTags('auth')
@Controller('api/v1')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Post('auth/session')
  @HttpCode(200)
  @Public()
  @Throttle({ default: { limit: authTokenLimit, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Sign in (browser session)',
    description:
      'Returns a short-lived access token and sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie ' +
      `(\`${REFRESH_COOKIE}\`, path ${REFRESH_COOKIE_PATH}).`,
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems([400, 'Invalid body'], [401, 'Wrong e-mail or password, or the account is deactivated'])
  async signIn(@Body() body: TokenRequestDto, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    return this.send(res, await this.sessions.signIn(body.email, body.password));
  }

  @Post('auth/session/refresh')
  @HttpCode(200)
  @Public()
  @CSRF
  @ApiOperation({
    summary: 'Exchange the refresh cookie for a new access token',
    description:
      'Rotates the cookie. Reusing an already rotated cookie revokes the session, except the cookie the ' +
      'last rotation replaced within SESSION_REFRESH_GRACE_SECONDS (10) of it, which gets the current ' +
      'cookie again (a refresh whose answer the browser never read); the idle timeout (SESSION_IDLE_MINUTES), ' +
      'the absolute lifetime (SESSION_MAX_HOURS) and deactivation of the account end it too.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems([401, 'No session, or it has ended (SESSION_ENDED)'], [403, 'X-CTAP-CSRF header missing'])
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    requireCsrfHeader(req);
    try {
      return this.send(res, await this.sessions.refresh(readCookie(req, REFRESH_COOKIE)));
    } catch (err) {
      res.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
      throw err;
    }
  }

  @Delete('auth/session')
  @HttpCode(204)
  @Public()
  @CSRF
  @ApiOperation({ summary: 'Sign out: revoke the session and clear its cookie' })
  @ApiNoContentResponse({ description: 'Signed out (also when there was no session)' })
  @ApiProblems([403, 'X-CTAP-CSRF header missing'])
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    requireCsrfHeader(req);
    await this.sessions.signOut(readCookie(req, REFRESH_COOKIE));
    res.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
  }

  @Get('me')
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor, Role.Admin)
  @ApiOperation({ summary: 'The calling user: name, role, State and preferred language' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: Principal): Promise<MeDto> {
    return this.sessions.me(user.userId);
  }

  @Patch('me')
  @Roles(Role.MemberState, Role.CtedOfficer, Role.UnodcManager, Role.CtedSupervisor, Role.UnodcSupervisor, Role.Admin)
  @ApiOperation({ summary: "Change the calling user's preferences (language)" })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems([400, 'Invalid body (the field is named in `errors`)'])
  updateMe(@CurrentUser() user: Principal, @Body() body: UpdateMeDto): Promise<MeDto> {
    return this.sessions.updateMe(user.userId, body.preferredLanguage);
  }

  private send(res: Response, issued: IssuedSession): SessionDto {
    res.cookie(REFRESH_COOKIE, issued.refreshToken, {
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      path: REFRESH_COOKIE_PATH,
      maxAge: issued.maxAgeMs,
    });
    res.setHeader('Cache-Control', 'no-store');
    return issued.body;
  }
}
