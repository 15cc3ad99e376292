import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { ObservabilityModule } from '@hopper/observability';
import { REDIS_CONNECTION, pendingFilesProvider } from '@hopper/queues';
import { typeMatches } from '@hopper/services';
import { CLOCK, systemClock } from '../http/clock';
import { SubmittedFileLoader } from '../ingest/submitted-file-loader';
import { IntakeModule } from '../intake/intake.module';
import { VisibleSubmissions } from '../submissions/visible-submissions';
import { FileSubmission } from '../submit/file-submission';
import { SubmissionStarter } from '@hopper/lifecycle';
import { AccountController } from './account/account.controller';
import { dynamicServiceProblem } from './dynamic-service';
import { DedupeWindow, RollingRateLimiter } from './controls';
import { TgAuthGuard } from './http/tg-auth.guard';
import { TgNotFoundController } from './http/tg-not-found.controller';
import { SampleAnalysis } from './samples/sample-analysis';
import { SampleAnalysisPartsController } from './samples/sample-analysis-parts.controller';
import { SampleArtifactsController } from './samples/sample-artifacts.controller';
import { SampleZip } from './samples/sample-zip';
import { SampleFinder } from './samples/sample-finder';
import { SampleSearchController } from './samples/sample-search.controller';
import { SamplesController } from './samples/samples.controller';
import { VisibleSamples } from './samples/visible-samples';
import { SearchController } from './search/search.controller';
import { TgSampleIntake } from './submit/tg-sample-intake';
import { TgSubmitService } from './submit/tg-submit.service';
import { ThreatGridMetrics } from './submit/threatgrid-metrics';

/**
 * The Threat Grid-compatible API (`/api/v2/samples…`, `/api/v2/search/submissions`, `/api/v3/…`) and the
 * automated-submission controls it enforces for every client: rate limits, dedupe window, file-type policy,
 * archive fan-out.
 */
@Module({
  imports: [IntakeModule, ObservabilityModule],
  // SampleSearchController before SamplesController (its `GET :id` would take "search" for an id);
  // TgNotFoundController last: it catches what the others do not route.
  controllers: [SampleSearchController, SamplesController, SampleArtifactsController, SampleAnalysisPartsController, SearchController, AccountController, TgNotFoundController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: RollingRateLimiter,
      inject: [REDIS_CONNECTION, HOPPER_CONFIG],
      useFactory: (redis: RedisConnection, config: HopperConfig) => new RollingRateLimiter(redis, config.redis.prefix),
    },
    {
      provide: DedupeWindow,
      inject: [REDIS_CONNECTION, HOPPER_CONFIG],
      useFactory: (redis: RedisConnection, config: HopperConfig) => new DedupeWindow(redis, config.redis.prefix),
    },
    TgAuthGuard,
    TgSampleIntake,
    TgSubmitService,
    ThreatGridMetrics,
    VisibleSamples,
    VisibleSubmissions,
    SampleFinder,
    SampleAnalysis,
    SampleZip,
    SubmittedFileLoader,
    pendingFilesProvider,
    FileSubmission,
    SubmissionStarter,
  ],
})
export class ThreatGridModule implements OnModuleInit {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
  ) {}

  /**
   * What the configuration schema cannot check alone: classifications and type patterns that must compile.
   * A dynamic service that is not there is a warning, not a stop: samples still get the static analysis.
   */
  onModuleInit(): void {
    const sandbox = dynamicServiceProblem(this.config);
    if (sandbox) new Logger('ThreatGridApi').warn(sandbox);
    const tg = this.config.threatgrid;
    if (tg.private_classification && !this.engine.isValid(tg.private_classification)) {
      throw new Error(`threatgrid.private_classification: "${tg.private_classification}" is not a valid classification`);
    }
    const patterns = [
      ...tg.automated_denied_types.map((pattern) => ['automated_denied_types', pattern]),
      ...Object.entries(tg.organizations).flatMap(([name, org]) => (org.allowed_types ?? []).map((pattern) => [`organizations.${name}.allowed_types`, pattern])),
      ...Object.entries(tg.users).flatMap(([name, user]) => (user.allowed_types ?? []).map((pattern) => [`users.${name}.allowed_types`, pattern])),
    ];
    for (const [key, pattern] of patterns) {
      try {
        typeMatches(pattern, '');
      } catch {
        throw new Error(`threatgrid.${key}: "${pattern}" is not a valid type pattern (a regular expression)`);
      }
    }
  }
}
