import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ExternalTaskQueues } from './external-task-queues';
import { ServiceTasksController } from './service-tasks.controller';
import { TaskAnswers } from './task-answers';

/** The routes external analysis services use to fetch their tasks' files and post their results. */
@Module({ imports: [AuthModule], providers: [ExternalTaskQueues, TaskAnswers], controllers: [ServiceTasksController] })
export class ServiceTasksModule {}
