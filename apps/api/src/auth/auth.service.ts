import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig } from '@app/common';
import { UserEntity, UserRepository } from '@app/persistence';
import { apiError } from '../common/api-error';
import { TokenResponseDto } from './auth.dto';

@Injectable()
export class AuthService {
  // Verifying against a real hash when the user is unknown keeps response times alike, so
  // timing does not reveal which e-mail addresses have accounts.
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issueToken(email: string, password: string): Promise<TokenResponseDto> {
    const user = await this.verifyPassword(email, password);
    const accessToken = await this.jwt.signAsync({
      sub: user.id,
      email: user.email,
      role: user.role,
      ms: user.memberState?.trim() ?? null,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwt.ttlSeconds,
      role: user.role,
      memberState: user.memberState?.trim() ?? null,
    };
  }

  /** The active user with this e-mail and password, or 401 INVALID_CREDENTIALS. */
  async verifyPassword(email: string, password: string): Promise<UserEntity> {
    const user = await this.users.withEmail(email);
    this.dummyHash ??= hashPassword('no-such-user-placeholder');
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    if (!user || !ok || !user.active) {
      throw apiError('INVALID_CREDENTIALS', 'e-mail or password is wrong');
    }
    return user;
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}
