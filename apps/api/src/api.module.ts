import { DynamicModule, Module } from '@nestjs/common';
import { HopperConfig, HopperConfigModule } from '@hopper/config';
import { DatastoreModule } from '@hopper/datastore';
import { FilestoreModule } from '@hopper/filestore';
import { HealthController, loggingModule, ObservabilityModule } from '@hopper/observability';
import { QueuesModule } from '@hopper/queues';
import { AlertsApiModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { FilesApiModule } from './files/files.module';
import { IngestModule } from './ingest/ingest.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OperationsModule } from './operators/operations.module';
import { QuotasModule } from './quotas/quotas.module';
import { ServiceTasksModule } from './service-tasks/service-tasks.module';
import { SubmissionsModule } from './submissions/submissions.module';
import { SubmitModule } from './submit/submit.module';
import { ThreatGridModule } from './threatgrid/threatgrid.module';

@Module({})
export class ApiModule {
  static forRoot(config: HopperConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        HopperConfigModule.forRoot(config),
        loggingModule('api', config),
        DatastoreModule,
        FilestoreModule,
        QueuesModule,
        ObservabilityModule,
        AuthModule,
        QuotasModule,
        NotificationsModule,
        IngestModule,
        FilesApiModule,
        AlertsApiModule,
        ServiceTasksModule,
        SubmissionsModule,
        SubmitModule,
        ThreatGridModule,
        OperationsModule,
      ],
      controllers: [HealthController],
    };
  }
}
