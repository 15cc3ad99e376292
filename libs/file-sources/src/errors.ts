/**
 * Typed errors of the safe downloader and the file sources. Each carries the HTTP status and the message the
 * caller sees (Assemblyline's wording for the three download errors); the API's exception filter maps them.
 * Details such as a refused address are logged, never put in the message.
 */
export abstract class FileSourceError extends Error {
  abstract readonly status: number;
}

export class FileTooBigError extends FileSourceError {
  readonly status = 400;
  constructor() {
    super('File too big to be scanned.');
    this.name = 'FileTooBigError';
  }
}

export class InvalidUrlError extends FileSourceError {
  readonly status = 400;
  constructor() {
    super('Url provided is invalid.');
    this.name = 'InvalidUrlError';
  }
}

/** The destination is forbidden (private, loopback, …), unresolvable, or unreachable within the limits. */
export class UnresolvableHostError extends FileSourceError {
  readonly status = 400;
  constructor() {
    super('Hostname in this URL cannot be resolved.');
    this.name = 'UnresolvableHostError';
  }
}

/** The server answered, but not with a file (HTTP error status). Used by file sources to try the next one. */
export class DownloadFailedError extends FileSourceError {
  readonly status = 400;
  constructor(readonly httpStatus: number) {
    super(`Download failed with HTTP status ${httpStatus}.`);
    this.name = 'DownloadFailedError';
  }
}

/** No file source resolved the input. */
export class FileSourceNotFoundError extends FileSourceError {
  readonly status = 404;
  constructor(readonly input: string, readonly sourcesTried: string[]) {
    super(
      sourcesTried.length === 0
        ? `No file source is available to resolve "${input}".`
        : `"${input}" was not found in any of the file sources: ${sourcesTried.join(', ')}.`,
    );
    this.name = 'FileSourceNotFoundError';
  }
}

/** The download did not finish within the total timeout; to the caller it reads like an unreachable host. */
export class DownloadTimeoutError extends UnresolvableHostError {
  constructor() {
    super();
    this.name = 'DownloadTimeoutError';
  }
}
