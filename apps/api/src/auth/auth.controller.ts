import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { ApiProblems } from '../common/api-docs';
import { authTokenLimit } from '../common/rate-limits';
import { Public } from './access.decorators';
import { TokenRequestDto, TokenResponseDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @HttpCode(200)
  @Public()
  @Throttle({ default: { limit: authTokenLimit, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Exchange e-mail and password for a bearer token',
    description:
      'Send the token as `Authorization: Bearer <accessToken>`. Limited to AUTH_RATE_LIMIT_PER_MINUTE calls per minute per client IP (default 10).',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblems([400, 'Invalid body'], [401, 'Wrong e-mail or password, or the account is deactivated'], 429)
  token(@Body() body: TokenRequestDto): Promise<TokenResponseDto> {
    return this.auth.issueToken(body.email, body.password);
  }
}
