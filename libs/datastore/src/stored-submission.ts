import { parseMessage, SubmissionParamsSchema } from '@hopper/messages';
import { withDecodedMetadata } from './metadata-codec';
import type { SubmissionRecord } from './submission-record';

/**
 * A submission document as read from the database: metadata keys decoded, params parsed with the one schema
 * (fields a document written by an older version lacks take their defaults; params without a classification
 * take the submission's). A document whose params do not parse is an InvalidMessage (a permanent error).
 */
export function storedSubmission(document: SubmissionRecord): SubmissionRecord;
export function storedSubmission(document: SubmissionRecord | null): SubmissionRecord | null;
export function storedSubmission(document: SubmissionRecord | null): SubmissionRecord | null {
  if (!document) return null;
  const stored: unknown = document.params;
  const withClassification = typeof stored === 'object' && stored !== null ? { classification: document.classification, ...stored } : stored;
  const params = parseMessage(SubmissionParamsSchema, withClassification, `params of submission ${document._id}`);
  return { ...withDecodedMetadata(document), params };
}
