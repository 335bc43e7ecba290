import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's choice for one notification kind; absent means immediate. */
@Entity('notification_preferences')
@Check('chk_notification_preferences_mode', `mode IN ('immediate','daily_digest','off')`)
export class NotificationPreferenceEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @PrimaryColumn('varchar', { length: 40 })
  kind: string;

  @Column('varchar', { length: 20 })
  mode: string;
}
