// The intake's public face: the shared submission pipeline the API's feature modules (ingest, submit, the UI's
// start, Threat Grid, service tasks) take from it. IntakeModule provides its injectables once.
export { IntakeModule } from './intake.module';

// Reading a request's file: the one multipart reader and its Assemblyline form.
export { readMultipartForm } from './multipart/multipart-form';
export type { FileAdmission, FormSoFar, MultipartForm, ReadForm, StagedPart } from './multipart/multipart-form';
export { MULTIPART_MESSAGES } from './multipart/multipart-messages';
export type { FormMessages } from './multipart/multipart-messages';
export { FileTooLargeException, readMultipartSubmission } from './multipart-submission';
export type { MultipartLimits, MultipartSubmission, UploadedFile } from './multipart-submission';
export { readSubmissionBody, SubmissionBodies } from './submission-body';
export type { PendingSubmissionBody, SubmissionBody, SubmissionBodyLimits } from './submission-body';

// Staging and loading: the file, staged and (except for ingest, whose ingester does it) identified, from whichever origin.
export { CORRUPTED_CART_TYPE, FileIntake } from './file-intake.service';
export { commitIntakeFile, discardIntakeFile, intakeFileFromRecord } from './intake-file';
export type { IdentifiedIntakeFile, IntakeFile, KnownFile, LookedUpFile } from './intake-file';
export { applyFileOrigin, EMPTY_FILE, fileSourceInput, MISSING_FILE, SHA256_NOT_FOUND, SubmittedFileLoader } from './submitted-file-loader';
export { withPendingSightings } from './pending-sightings';
export type { FileRequest, LoadedFile } from './submitted-file-loader';
export { expiryFromTtl, recordIntakeFile } from './record-intake-file';
export { submittedFileName, withCartClassification } from './cart-identity';
export { INVALID_FILENAME, MAX_NAME_LENGTH, safeBasename, safeName, submittedBasename, submittedName } from './safe-filename';

// Parameters and metadata of the submission the file becomes.
export { submittingUser } from './submitting-user';
export { buildIngestMetadata, buildSubmitMetadata, cartHeaderMetadata } from './ingest-metadata';
export type { IngestMetadataParts, SubmitMetadataParts } from './ingest-metadata';

// Starting it.
export { EMPTY_SUBMISSION, FileSubmission, HIGHER_SCAN_CLASSIFICATION } from './file-submission';
export type { FileSubmissionRequest } from './file-submission';
