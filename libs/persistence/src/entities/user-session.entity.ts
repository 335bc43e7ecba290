import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A browser session: the refresh cookie is `<id>.<secret>` and only the secret's SHA-256 is kept.
 * Each refresh replaces the secret (rotation); presenting an older secret revokes the session
 * (reuse detection: a stolen cookie and its owner cannot both keep using it), except the secret
 * just replaced, for a few seconds after `rotatedAt` (a refresh whose answer the browser never
 * read, e.g. a page reloaded mid-request; see SessionService.refresh).
 */
@Entity('user_sessions')
@Index('idx_user_sessions_user', ['userId'])
export class UserSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_sessions_user' })
  user?: UserEntity;

  @Column('char', { length: 64, name: 'token_hash' })
  tokenHash: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at' })
  lastUsedAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  /** When the secret was last replaced; null until the first refresh. */
  @Column('timestamptz', { name: 'rotated_at', nullable: true })
  rotatedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column('varchar', { length: 40, name: 'revoked_reason', nullable: true })
  revokedReason: string | null;
}
