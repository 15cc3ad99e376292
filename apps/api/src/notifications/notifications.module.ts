import { Module } from '@nestjs/common';
import { notificationQueuesProvider } from '@hopper/queues';
import { AuthModule } from '../auth/auth.module';
import { NotificationQueuesController } from './notification-queues.controller';

/** `GET /api/v4/ingest/get_message[_list]/<nq>/`: reading the notification queues (`NotificationQueues`). */
@Module({
  imports: [AuthModule],
  controllers: [NotificationQueuesController],
  providers: [notificationQueuesProvider],
})
export class NotificationsModule {}
