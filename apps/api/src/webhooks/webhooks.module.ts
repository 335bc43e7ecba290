import { Module } from '@nestjs/common';
import { EventFeedController, WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({ controllers: [WebhooksController, EventFeedController], providers: [WebhooksService] })
export class WebhooksModule {}
