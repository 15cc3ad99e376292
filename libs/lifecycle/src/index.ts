// A submission's start: the one builder of submission documents and the one starter every path uses.
export { newSubmissionDocument } from './submission-document';
export type { SubmissionStart } from './submission-document';
export { SubmissionStarter } from './submission-starter';
export type { StartOptions } from './submission-starter';
