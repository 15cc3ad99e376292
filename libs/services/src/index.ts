// The analysis-service contract (manifest, task, result schema, selection, result keys) and the built-in services.
export type { AnalysisService } from './contract/analysis-service';
export { parameterValueFits, parseServiceManifest, serviceManifestSchema } from './contract/manifest-schema';
export { DEFAULT_ACCEPTS, DEFAULT_REJECTS, SERVICE_CATEGORIES, SERVICE_STAGES } from './contract/service-manifest';
export type { ServiceManifest, ServiceParameter, ServiceParameterType, ServiceStage } from './contract/service-manifest';
export { canonicalJson, resolveServiceParams, resultKey } from './contract/service-params';
export type { ResultInputs } from './contract/service-params';
export {
  BODY_FORMATS,
  heuristicSchema,
  InvalidServiceResultError,
  MAX_SECTION_BODY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  parseServiceResult,
  resultScore,
  resultTags,
  sectionSchema,
  serviceResultBodySchema,
  tagSchema,
} from './contract/service-result';
export type { Heuristic, ResultSection, ResultTag, ServiceResultBody, ServiceResultInput } from './contract/service-result';
export { acceptsFileType, selectedServices, servicesForFile, typeMatches } from './contract/service-selection';
export type { SelectionRequest } from './contract/service-selection';
export type { ProducedFile, ServiceContext, ServiceTask, StoredChild, TaskFile } from './contract/service-task';
export { builtinServices } from './builtin/builtin-services';
export type { BuiltinServicesConfig } from './builtin/builtin-services';
export { externalServiceQueue, externalTaskId } from './contract/external-task';
export type { ExternalFileLimits, ExternalServiceTask } from './contract/external-task';
export { errorKey, errorRecord, resultRecord } from './contract/result-records';
export type { ServiceErrorDetails, ServiceOutput } from './contract/result-records';
export { ExternalServiceQueues } from './contract/external-service-queues';
export { recordProducedFile } from './produced-files/record-produced-file';
export type { FileSightingGuard } from './produced-files/record-produced-file';
export type { ProducedFileOrigin } from './produced-files/record-produced-file';
