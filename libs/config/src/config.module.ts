import { DynamicModule, Global, Module } from '@nestjs/common';
import { ClassificationEngine, loadClassificationFile } from '@hopper/classification';
import { HopperConfig } from './config-schema';

/** Injection token of the validated HopperConfig. */
export const HOPPER_CONFIG = Symbol('HOPPER_CONFIG');
/** Injection token of the ClassificationEngine built from the configured classification.yml. */
export const CLASSIFICATION_ENGINE = Symbol('CLASSIFICATION_ENGINE');

/**
 * Provides the configuration (and its classification engine) that main() loaded and validated before Nest started, so a bad value
 * stops the process with its message instead of a dependency-injection stack trace.
 */
@Global()
@Module({})
export class HopperConfigModule {
  static forRoot(config: HopperConfig): DynamicModule {
    const classification = new ClassificationEngine(loadClassificationFile(config.classification));
    return {
      module: HopperConfigModule,
      providers: [
        { provide: HOPPER_CONFIG, useValue: config },
        { provide: CLASSIFICATION_ENGINE, useValue: classification },
      ],
      exports: [HOPPER_CONFIG, CLASSIFICATION_ENGINE],
    };
  }
}
