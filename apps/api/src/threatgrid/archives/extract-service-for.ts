import { type AnalysisService, builtinServices, type BuiltinServicesConfig } from '@hopper/services';

/**
 * The `services.builtin.Extract` configuration section (its `enabled` flag aside): the passwords and bomb
 * limits intake fan-out shares with the dispatcher's Extract, so `config.services.builtin.Extract` fits as is.
 */
export type ArchiveExtractOptions = Pick<
  BuiltinServicesConfig['Extract'],
  'default_passwords' | 'max_entries' | 'max_total_bytes' | 'max_ratio'
>;

/**
 * The real built-in Extract service for these options. Built through `builtinServices`, the lib's public way
 * in, rather than from its internals. `enabled` is forced on: that flag says whether the dispatcher runs
 * Extract, while fan-out at intake is the Threat Grid organization's choice (`extract_archives`).
 */
export function extractServiceFor(options: ArchiveExtractOptions): AnalysisService {
  const { default_passwords, max_entries, max_total_bytes, max_ratio } = options;
  const services = builtinServices({
    Extract: { enabled: true, default_passwords, max_entries, max_total_bytes, max_ratio },
    Characterize: { enabled: false },
    IOC: { enabled: false },
  });
  const extract = services.find((service) => service.manifest.name === 'Extract');
  if (!extract) throw new Error('the built-in services no longer include Extract');
  return extract;
}
