import { Module } from '@nestjs/common';
import { ExternalTaskQueues } from './external-task-queues';
import { ServiceTasksController } from './service-tasks.controller';

/** The routes external analysis services use to fetch their tasks' files and post their results. */
@Module({ providers: [ExternalTaskQueues], controllers: [ServiceTasksController] })
export class ServiceTasksModule {}
