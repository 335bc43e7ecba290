import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
@Check('chk_users_role', `role IN ('member_state','cted_officer','unodc_manager','admin')`)
@Check('chk_users_state_scope', `(role = 'member_state') = (member_state IS NOT NULL)`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_users_email', { unique: true })
  @Column('varchar', { length: 254 })
  email: string;

  @Column('varchar', { length: 200, name: 'display_name' })
  displayName: string;

  @Column('varchar', { length: 200, name: 'password_hash' })
  passwordHash: string;

  @Column('varchar', { length: 20 })
  role: string;

  @Column('char', { length: 3, name: 'member_state', nullable: true })
  memberState: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  /** UN language code (ar, zh, en, fr, ru, es) for e-mail; null means English. */
  @Column('varchar', { length: 5, name: 'preferred_language', nullable: true })
  preferredLanguage: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
