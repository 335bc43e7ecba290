import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
@Check(
  'chk_users_role',
  `role IN ('member_state','cted_officer','unodc_manager','cted_supervisor','unodc_supervisor','admin')`,
)
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

  /**
   * The language the user picked in the web application (a UN language code), also the language of
   * their e-mail; null follows the browser (e-mail in English).
   */
  @Column('varchar', { length: 5, name: 'preferred_language', nullable: true })
  preferredLanguage: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
