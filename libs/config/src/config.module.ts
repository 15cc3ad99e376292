import { DynamicModule, Global, Module } from '@nestjs/common';
import { HopperConfig } from './config-schema';

/** Injection token of the validated HopperConfig. */
export const HOPPER_CONFIG = Symbol('HOPPER_CONFIG');

/**
 * Provides the configuration that main() loaded and validated before Nest started, so a bad value
 * stops the process with its message instead of a dependency-injection stack trace.
 */
@Global()
@Module({})
export class HopperConfigModule {
  static forRoot(config: HopperConfig): DynamicModule {
    return { module: HopperConfigModule, providers: [{ provide: HOPPER_CONFIG, useValue: config }], exports: [HOPPER_CONFIG] };
  }
}
