import { Inject, Injectable } from '@nestjs/common';
import { apiError } from '../common/api-error';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { AuthService } from './auth.service';
import { MeDto, SessionDto } from './session.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface IssuedSession {
  body: SessionDto;
  /** `<session id>.<secret>`: the value of the refresh cookie. */
  refreshToken: string;
  maxAgeMs: number;
}

interface MeRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  member_state: string | null;
  preferred_language: string | null;
  active: boolean;
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
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jwt: JwtService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signIn(email: string, password: string): Promise<IssuedSession> {
    const user = await this.auth.verifyPassword(email, password);
    const secret = randomBytes(32).toString('base64url');
    const maxAgeMs = this.config.session.maxHours * 3600_000;
    const [row] = await this.ds.query(
      `INSERT INTO user_sessions (user_id, token_hash, last_used_at, expires_at)
       VALUES ($1, $2, now(), now() + $3 * interval '1 millisecond') RETURNING id`,
      [user.id, sha256(secret), maxAgeMs],
    );
    return this.issue(row.id, user.id, secret, maxAgeMs);
  }

  /**
   * Rotates the refresh token. An unknown, revoked, expired or idle session is refused; a valid
   * session id with an outdated secret means the cookie was copied, so the session is revoked.
   */
  async refresh(cookie: string | undefined): Promise<IssuedSession> {
    const [id, secret] = (cookie ?? '').split('.');
    if (!id || !secret || !UUID.test(id)) throw ended('no valid session cookie');
    const next = randomBytes(32).toString('base64url');
    return this.ds
      .transaction(async (tx) => {
        const [s] = await tx.query(
          `SELECT s.id, s.user_id, s.token_hash, s.revoked_at, u.active,
                s.expires_at < now() AS expired,
                s.last_used_at < now() - $2 * interval '1 minute' AS idle,
                extract(epoch FROM s.expires_at - now()) * 1000 AS remaining_ms
           FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 FOR UPDATE OF s`,
          [id, this.config.session.idleMinutes],
        );
        if (!s || s.revoked_at) throw ended('the session has ended; sign in again');
        const revoke = async (reason: string) => {
          await tx.query(`UPDATE user_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1`, [
            id,
            reason,
          ]);
        };
        if (s.token_hash !== sha256(secret)) {
          await revoke('refresh_token_reused');
          return { reused: true } as const;
        }
        if (!s.active || s.expired || s.idle) {
          await revoke(!s.active ? 'deactivated' : s.expired ? 'expired' : 'idle');
          return { ended: true } as const;
        }
        await tx.query(`UPDATE user_sessions SET token_hash = $2, last_used_at = now() WHERE id = $1`, [
          id,
          sha256(next),
        ]);
        return this.issue(id, s.user_id, next, Math.max(0, Number(s.remaining_ms)), tx);
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
      await this.ds.query(
        `UPDATE user_sessions SET revoked_at = now(), revoked_reason = 'signed_out' WHERE id = $1 AND revoked_at IS NULL`,
        [id],
      );
    }
  }

  async me(userId: string): Promise<MeDto> {
    const [row] = await this.ds.query(
      'SELECT id, email, display_name, role, member_state, preferred_language, active FROM users WHERE id = $1',
      [userId],
    );
    return toMe(row);
  }

  async updateMe(userId: string, preferredLanguage: string | null | undefined): Promise<MeDto> {
    if (preferredLanguage !== undefined) {
      await this.ds.query('UPDATE users SET preferred_language = $2 WHERE id = $1', [userId, preferredLanguage]);
    }
    return this.me(userId);
  }

  private async issue(
    sessionId: string,
    userId: string,
    secret: string,
    maxAgeMs: number,
    tx: { query: DataSource['query'] } = this.ds,
  ): Promise<IssuedSession> {
    const [row] = await tx.query(
      'SELECT id, email, display_name, role, member_state, preferred_language, active FROM users WHERE id = $1',
      [userId],
    );
    const ttl = this.config.session.accessTtlSeconds;
    const accessToken = await this.jwt.signAsync({ sub: userId, sid: sessionId }, { expiresIn: ttl });
    return {
      body: { accessToken, tokenType: 'Bearer', expiresIn: ttl, user: toMe(row) },
      refreshToken: `${sessionId}.${secret}`,
      maxAgeMs,
    };
  }
}
