import type { AnalysisService } from '../contract/analysis-service';
import { CharacterizeService } from './characterize';
import { ExtractService } from './extract';
import { IocService } from './ioc';

/** The `services.builtin` configuration section (libs/config validates it). */
export interface BuiltinServicesConfig {
  Extract: { enabled: boolean; default_passwords: string[]; max_entries: number; max_total_bytes: number; max_ratio: number };
  Characterize: { enabled: boolean };
  IOC: { enabled: boolean };
}

/** The built-in services the configuration enables, ready to run in the dispatcher's process. */
export function builtinServices(config: BuiltinServicesConfig): AnalysisService[] {
  const services: AnalysisService[] = [];
  if (config.Extract.enabled) {
    const { default_passwords, max_entries, max_total_bytes, max_ratio } = config.Extract;
    services.push(new ExtractService({ defaultPasswords: default_passwords, limits: { max_entries, max_total_bytes, max_ratio } }));
  }
  if (config.Characterize.enabled) services.push(new CharacterizeService());
  if (config.IOC.enabled) services.push(new IocService());
  return services;
}
