import type { HopperConfig } from '@hopper/config';
import type { SafeDownloaderOptions } from './safe-downloader';

/** The downloader's limits from the configuration: `file_sources.*`, bytes capped by `submission.max_file_size`. */
export function downloaderOptionsFromConfig(config: Pick<HopperConfig, 'file_sources' | 'submission'>): SafeDownloaderOptions {
  const section = config.file_sources;
  return {
    maxBytes: config.submission.max_file_size,
    connectTimeoutMs: section.connect_timeout_seconds * 1000,
    totalTimeoutMs: section.total_timeout_seconds * 1000,
    allowedPorts: section.allowed_ports,
    allowNetworks: section.allow_networks,
  };
}
