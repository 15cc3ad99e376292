import { BadRequestException } from '@nestjs/common';
import { InvalidServiceResultError, parseServiceResult, ServiceResultBody } from '@hopper/services';
import { isJsonObject } from '../http/strict-json';

/** Longest description of a posted file. */
export const MAX_FILE_DESCRIPTION_LENGTH = 1024;

/**
 * What an external service posted, checked: its result (with the descriptions of the files it posts beside
 * it, by the file part's filename), or why it has none.
 */
export type TaskAnswer =
  | { kind: 'result'; body: ServiceResultBody; descriptions: ReadonlyMap<string, string> }
  | { kind: 'error'; message: string; recoverable: boolean };

const EITHER = 'Post either {"result": {...}} or {"error": {"message": "..."}}';

/**
 * Checks a posted answer: `{"result": …}` or `{"error": {"message", "recoverable"}}`. `files` (descriptions
 * of the posted files) is read only from a multipart answer's json part; a JSON body has no files, and other
 * fields are ignored there as they always were.
 */
export function parseTaskAnswer(service: string, body: unknown, withFiles: boolean): TaskAnswer {
  const answer = isJsonObject(body) ? body : null;
  if (!answer || (answer.result === undefined) === (answer.error === undefined)) throw new BadRequestException(EITHER);
  if (answer.error !== undefined) {
    if (withFiles && answer.files !== undefined) throw new BadRequestException('An error carries no files: post files with a result');
    return parseError(answer.error);
  }
  let parsed: ServiceResultBody;
  try {
    parsed = parseServiceResult(service, answer.result);
  } catch (error) {
    if (error instanceof InvalidServiceResultError) throw new BadRequestException(error.message);
    throw error;
  }
  return { kind: 'result', body: parsed, descriptions: withFiles ? parseDescriptions(answer.files) : new Map() };
}

function parseError(error: unknown): TaskAnswer {
  const fields = isJsonObject(error) ? error : {};
  if (typeof fields.message !== 'string' || fields.message.length === 0 || fields.message.length > 4096) {
    throw new BadRequestException('error.message must be a non-empty string of at most 4096 characters');
  }
  if (fields.recoverable !== undefined && typeof fields.recoverable !== 'boolean') throw new BadRequestException('error.recoverable must be a boolean');
  return { kind: 'error', message: fields.message, recoverable: fields.recoverable !== false };
}

/** `files`: `{"<part filename>": {"description": "…"}}`, every entry naming a posted part (checked once all are read). */
function parseDescriptions(files: unknown): Map<string, string> {
  const descriptions = new Map<string, string>();
  if (files === undefined) return descriptions;
  if (!isJsonObject(files)) throw new BadRequestException('files must be an object: {"<part filename>": {"description": "..."}}');
  for (const [filename, entry] of Object.entries(files)) {
    if (!isJsonObject(entry)) throw new BadRequestException(`files.${filename} must be an object: {"description": "..."}`);
    const unknown = Object.keys(entry).find((field) => field !== 'description');
    if (unknown !== undefined) throw new BadRequestException(`files.${filename}: unknown field "${unknown}" (only description is allowed)`);
    const { description = '' } = entry;
    if (typeof description !== 'string' || description.length > MAX_FILE_DESCRIPTION_LENGTH) {
      throw new BadRequestException(`files.${filename}.description must be a string of at most ${MAX_FILE_DESCRIPTION_LENGTH} characters`);
    }
    descriptions.set(filename, description);
  }
  return descriptions;
}
