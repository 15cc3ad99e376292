import type { AnalysisService } from '../../contract/analysis-service';
import { parseServiceManifest } from '../../contract/manifest-schema';
import type { ServiceManifest } from '../../contract/service-manifest';
import type { ServiceResultInput } from '../../contract/service-result';
import type { ServiceContext } from '../../contract/service-task';
import { positiveIntParam, readBounded } from '../characterize/bounded-read';
import { DEFAULT_MAX_VALUES_PER_TYPE, IocCollector } from './ioc-collector';
import { IocMatcher } from './ioc-matcher';
import { buildIocResult } from './ioc-report';
import { StringExtractor, type StringExtractorOptions } from './string-extractor';

export const IOC_DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export const IOC_MANIFEST: ServiceManifest = parseServiceManifest({
  name: 'IOC',
  version: '1.0.0',
  category: 'Static Analysis',
  stage: 'CORE',
  description:
    'Network indicators in the strings of a file (ASCII/UTF-8 and UTF-16LE): URLs, domains, IPv4 addresses and email addresses, with false-positive filtering. Searches the first max_bytes bytes.',
  accepts: '.*',
  rejects: 'empty|metadata/.*',
  timeout_seconds: 120,
  parameters: [{ name: 'max_bytes', type: 'int', default: IOC_DEFAULT_MAX_BYTES }],
});

export interface IocServiceOptions {
  maxValuesPerType?: number;
  strings?: StringExtractorOptions;
}

/**
 * IOC: extracts strings from the file in one streaming pass (bounded memory, at most `max_bytes` bytes)
 * and tags the network indicators among them (Assemblyline's FrankenStrings, network part).
 */
export class IocService implements AnalysisService {
  readonly manifest = IOC_MANIFEST;

  constructor(private readonly options: IocServiceOptions = {}) {}

  async execute(context: ServiceContext): Promise<ServiceResultInput> {
    const { task } = context;
    const maxBytes = positiveIntParam(task.params, 'max_bytes', IOC_DEFAULT_MAX_BYTES);
    const collector = new IocCollector(this.options.maxValuesPerType ?? DEFAULT_MAX_VALUES_PER_TYPE);
    const matcher = new IocMatcher(collector);
    const extractor = new StringExtractor((string) => matcher.scan(string), this.options.strings);
    const { bytesRead, truncated } = await readBounded(context, maxBytes, (bytes) => extractor.update(bytes));
    extractor.finish();
    return buildIocResult(collector, { bytesScanned: bytesRead, fileSize: Math.max(task.file.size, bytesRead), truncated });
  }
}
