import { Global, Module } from '@nestjs/common';
import { NotificationQueuesController } from './notification-queues.controller';
import { notificationQueuesProvider } from '@hopper/queues';

/** Global: whatever pushes notifications in the API process injects `NotificationQueues` from here. */
@Global()
@Module({
  controllers: [NotificationQueuesController],
  providers: [notificationQueuesProvider],
  exports: [notificationQueuesProvider],
})
export class NotificationsModule {}
