import { CartError } from '@hopper/identify';
import { FileSourceError } from '@hopper/file-sources';
import { InvalidMetadata } from '@hopper/metadata';
import { SubmissionParamsError } from '@hopper/profiles';
import { InvalidClassification } from '@hopper/classification';

/**
 * The HTTP status of an error the libraries raise about the caller's input (their messages are written for
 * the caller), or null for anything else, which stays a 500.
 */
export function domainErrorStatus(error: unknown): number | null {
  if (error instanceof FileSourceError) return error.status;
  if (error instanceof SubmissionParamsError || error instanceof InvalidMetadata) return 400;
  if (error instanceof CartError || error instanceof InvalidClassification) return 400;
  return null;
}
