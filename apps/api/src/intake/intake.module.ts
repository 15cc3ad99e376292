import { Logger, Module } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { downloaderOptionsFromConfig, FileSourceFetcher, SafeDownloader, SourceLogger } from '@hopper/file-sources';
import { MetadataValidator } from '@hopper/metadata';
import { pendingFilesProvider } from '@hopper/queues';
import { QuotasModule } from '../quotas/quotas.module';
import { FileIntake } from './file-intake.service';
import { FileSubmission } from './file-submission';
import { SubmissionStarter } from '@hopper/lifecycle';
import { SubmissionBodies } from './submission-body';
import { SubmittedFileLoader } from './submitted-file-loader';

function sourceLogger(context: string): SourceLogger {
  const logger = new Logger(context);
  return { info: (obj, msg) => logger.log({ ...obj, msg }), warn: (obj, msg) => logger.warn({ ...obj, msg }) };
}

/**
 * The shared submission pipeline, provided once for every feature module that takes files in (ingest, submit,
 * the UI's start, Threat Grid): staging and identifying a request's file (upload, sha256, URL, file source),
 * loading it with what its origin adds (`SubmittedFileLoader`), the metadata validator, and the submission
 * starter (`FileSubmission` over libs/lifecycle's `SubmissionStarter`). Feature modules import this module, and its names
 * through `intake/index.ts`.
 */
@Module({
  imports: [QuotasModule],
  providers: [
    FileIntake,
    SubmittedFileLoader,
    SubmissionBodies,
    pendingFilesProvider,
    FileSubmission,
    SubmissionStarter,
    {
      provide: SafeDownloader,
      inject: [HOPPER_CONFIG, FILESTORE],
      useFactory: (config: HopperConfig, filestore: Filestore) =>
        new SafeDownloader(downloaderOptionsFromConfig(config), { filestore, logger: sourceLogger('SafeDownloader') }),
    },
    {
      provide: FileSourceFetcher,
      inject: [HOPPER_CONFIG, FILESTORE, SafeDownloader, CLASSIFICATION_ENGINE],
      useFactory: (config: HopperConfig, filestore: Filestore, downloader: SafeDownloader, engine: ClassificationEngine) =>
        new FileSourceFetcher({
          downloader,
          filestore,
          classification: { max: (a, b) => engine.max(a, b), isAccessible: (user, item) => engine.isAccessible(user, item) },
          logger: sourceLogger('FileSources'),
          allowUrlSubmissions: config.ui.allow_url_submissions,
          maxFileSize: config.submission.max_file_size,
        }),
    },
    { provide: MetadataValidator, inject: [HOPPER_CONFIG], useFactory: (config: HopperConfig) => new MetadataValidator(config.submission) },
  ],
  exports: [FileIntake, SafeDownloader, FileSourceFetcher, MetadataValidator, SubmittedFileLoader, SubmissionBodies, pendingFilesProvider, FileSubmission, SubmissionStarter],
})
export class IntakeModule {}
