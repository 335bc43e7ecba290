import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Keys are scoped per user so one caller can never replay another's key and read its response. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @PrimaryColumn('varchar', { length: 200 })
  key: string;

  @Column('char', { length: 64, name: 'body_hash' })
  bodyHash: string;

  /** The resource created under this key, set in the same transaction that creates it. */
  @Column('varchar', { length: 60, name: 'resource_ref', nullable: true })
  resourceRef: string | null;

  @Column('int', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  @Column('jsonb', { name: 'response_body', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
