import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@hopper/observability';
import { AuthModule } from '../auth/auth.module';
import { OperationsController } from './operations.controller';

/** The operator routes; the BullMQ dashboard is mounted beside them by mountQueueDashboard. */
@Module({ imports: [AuthModule, ObservabilityModule], controllers: [OperationsController] })
export class OperationsModule {}
