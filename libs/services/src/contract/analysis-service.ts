import type { ServiceManifest } from './service-manifest';
import type { ServiceResultInput } from './service-result';
import type { ServiceContext } from './service-task';

/**
 * An analysis service that runs inside the dispatcher. It reads the file through its context, stores what
 * it extracts through its context, honours `context.signal`, and returns its sections and tags (validated
 * by the dispatcher against the result schema). Throwing records an error result for the file and service.
 */
export interface AnalysisService {
  readonly manifest: ServiceManifest;
  execute(context: ServiceContext): Promise<ServiceResultInput>;
}
