// The messages of a submission's life, as zod schemas (pure: no I/O). Every queue's consumer and every reader of
// a stored submission's params parses with these; the types are inferred from them.
export { SubmissionParamsSchema, ServiceSelectionSchema, ServiceSpecSchema } from './submission-params';
export type { ServiceSelection, ServiceSpec, SubmissionParams } from './submission-params';
export { IngestFileSightingSchema, IngestSubmissionSchema, IngestTaskSchema, SubmissionFileSchema, UnreadableIngestSchema } from './ingest-task';
export type { IngestFileSighting, IngestSubmission, IngestTask, SubmissionFileMessage, UnreadableIngest } from './ingest-task';
export { DispatchTaskSchema, HandedSubmissionSchema, SubmissionCompletionSchema } from './dispatch-messages';
export type { DispatchTask, HandedSubmission, ParsedDispatchTask, SubmissionCompletion } from './dispatch-messages';
export { InvalidMessage, parseMessage } from './parse-message';
