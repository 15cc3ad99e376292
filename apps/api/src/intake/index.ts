// The intake's public face: what the API's feature modules (ingest, submit, Threat Grid, service tasks) take from it.
export { FileTooLargeException, readMultipartSubmission } from './multipart-submission';
export type { MultipartLimits, MultipartSubmission, UploadedFile } from './multipart-submission';
export { readMultipartForm } from './multipart/multipart-form';
export type { FileAdmission, FormSoFar, MultipartForm, ReadForm, StagedPart } from './multipart/multipart-form';
export { MULTIPART_MESSAGES } from './multipart/multipart-messages';
export type { FormMessages } from './multipart/multipart-messages';
