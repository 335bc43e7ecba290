import { Inject, Injectable } from '@nestjs/common';
import { apiError } from '../common/api-error';
import { JwtService } from '@nestjs/jwt';
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'crypto';
import { APP_CONFIG, AppConfig } from '@app/common';
import { MeRow, SessionRepository, UserRepository } from '@app/persistence';
import { AuthService } from './auth.service';
import { MeDto, SessionDto } from './session.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Compares two SHA-256 hex digests in constant time. */
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface IssuedSession {
  body: SessionDto;
  /** `<session id>.<secret>`: the value of the refresh cookie. */
  refreshToken: string;
  maxAgeMs: number;
}

export function toMe(r: MeRow): MeDto {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    memberState: r.member_state?.trim() ?? null,
    preferredLanguage: r.preferred_language,
  };
}

const ended = (detail: string) => apiError('SESSION_ENDED', detail);

@Injectable()
export class SessionService {
  /** Keys the derivation of each rotation's secret from the one it replaces (HKDF of JWT_SECRET). */
  private readonly rotationKey: Buffer;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly jwt: JwtService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.rotationKey = Buffer.from(hkdfSync('sha256', config.jwt.secret, 'ctap', 'refresh-token-rotation', 32));
  }

  /**
   * The secret that replaces `secret` at a rotation of session `id`. Derived, not random, so a
   * refresh presenting the secret just replaced can be answered with the current one (the same
   * cookie every tab and retried request converges on) without storing any secret: only hashes
   * are kept. The price: whoever holds both a session's stored hash and JWT_SECRET can compute its
   * next cookie (JWT_SECRET alone already forges access tokens); changing JWT_SECRET ends the
   * sessions caught within their grace period.
   */
  private successorOf(id: string, secret: string): string {
    return createHmac('sha256', this.rotationKey)
      .update(`${id.toLowerCase()}.${sha256(secret)}`)
      .digest('base64url');
  }

  async signIn(email: string, password: string): Promise<IssuedSession> {
    const user = await this.auth.verifyPassword(email, password);
    const secret = randomBytes(32).toString('base64url');
    const maxAgeMs = this.config.session.maxHours * 3600_000;
    const sessionId = await this.sessions.open(user.id, sha256(secret), maxAgeMs);
    return this.issue(sessionId, user.id, secret, maxAgeMs);
  }

  /**
   * Rotates the refresh token. An unknown, revoked, expired or idle session is refused; a valid
   * session id with an outdated secret means the cookie was copied, so the session is revoked —
   * except the secret the last rotation replaced, presented within
   * `SESSION_REFRESH_GRACE_SECONDS` of it: that is a refresh whose answer never reached the
   * browser (a reload or navigation aborted it, or two tabs refreshed at once), and it gets the
   * current secret again without a new rotation. A deliberate departure from OAuth 2.0 Security
   * BCP (RFC 9700 §4.14.2), which revokes on any replay, made as Auth0 (reuse interval) and Cognito
   * (RetryGracePeriodSeconds) make it: within the period a thief holding the replaced cookie gets
   * the current one too; a replay after it, or of an older cookie, still revokes the session.
   */
  async refresh(cookie: string | undefined): Promise<IssuedSession> {
    const parts = (cookie ?? '').split('.');
    const [id, secret] = parts;
    if (parts.length !== 2 || !id || !secret || !UUID.test(id)) throw ended('no valid session cookie');
    const next = this.successorOf(id, secret);
    const { idleMinutes, refreshGraceSeconds } = this.config.session;
    return this.sessions
      .rotation(async (tx) => {
        const s = await tx.lock(id, idleMinutes, refreshGraceSeconds);
        if (!s || s.revoked_at) throw ended('the session has ended; sign in again');
        const current = sameHash(s.token_hash, sha256(secret));
        // The secret's successor is the current one: this secret is exactly the one last replaced.
        const justReplaced = !current && refreshGraceSeconds > 0 && s.in_grace && sameHash(s.token_hash, sha256(next));
        if (!current && !justReplaced) {
          await tx.revoke(id, 'refresh_token_reused');
          return { reused: true } as const;
        }
        if (!s.active || s.expired || s.idle) {
          await tx.revoke(id, !s.active ? 'deactivated' : s.expired ? 'expired' : 'idle');
          return { ended: true } as const;
        }
        if (current) await tx.rotate(id, sha256(next));
        return this.issue(id, s.user_id, next, Math.max(0, Number(s.remaining_ms)), (u) => tx.me(u));
      })
      .then((r) => {
        // Thrown outside the transaction so the revocation above is committed.
        if ('reused' in r) throw ended('this refresh token was already used: the session is revoked');
        if ('ended' in r) throw ended('the session has expired or the account is deactivated; sign in again');
        return r;
      });
  }

  async signOut(cookie: string | undefined): Promise<void> {
    const [id] = (cookie ?? '').split('.');
    if (id && UUID.test(id)) {
      await this.sessions.signOut(id);
    }
  }

  async me(userId: string): Promise<MeDto> {
    return toMe((await this.users.me(userId))!);
  }

  async updateMe(userId: string, preferredLanguage: string | null | undefined): Promise<MeDto> {
    if (preferredLanguage !== undefined) {
      await this.users.setPreferredLanguage(userId, preferredLanguage);
    }
    return this.me(userId);
  }

  private async issue(
    sessionId: string,
    userId: string,
    secret: string,
    maxAgeMs: number,
    readMe: (userId: string) => Promise<MeRow | undefined> = (u) => this.users.me(u),
  ): Promise<IssuedSession> {
    const row = (await readMe(userId))!;
    const ttl = this.config.session.accessTtlSeconds;
    const accessToken = await this.jwt.signAsync({ sub: userId, sid: sessionId }, { expiresIn: ttl });
    return {
      body: { accessToken, tokenType: 'Bearer', expiresIn: ttl, user: toMe(row) },
      refreshToken: `${sessionId}.${secret}`,
      maxAgeMs,
    };
  }
}
