/**
 * Typed errors of the safe downloader and the file sources. Each carries the HTTP status and the message the
 * caller sees, which says which rule refused the URL: Assemblyline's words where it has them ("Url provided is
 * invalid.", "Hostname in this URL cannot be resolved.", "File too big to be scanned.", and its "Host '<host>'
 * resolves to a reserved IP address. The URL will not be downloaded."), the same style for Hopper's own rules
 * (ports, schemes, redirects, time limits). The address a name resolved to is logged, never put in a message:
 * the caller would learn an internal name's address.
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

/** The URL cannot be used as written (Assemblyline's InvalidUrlException). */
export class InvalidUrlError extends FileSourceError {
  readonly status = 400;
  constructor(message = 'Url provided is invalid.') {
    super(message);
    this.name = 'InvalidUrlError';
  }
}

/** Only http and https URLs are downloaded. */
export class SchemeNotAllowedError extends InvalidUrlError {
  constructor(readonly scheme: string) {
    super(`URL scheme '${scheme}' is not allowed (http and https only). The URL will not be downloaded.`);
    this.name = 'SchemeNotAllowedError';
  }
}

/** More redirects than the downloader follows. */
export class TooManyRedirectsError extends InvalidUrlError {
  constructor(readonly limit: number) {
    super(`Too many redirects (more than ${limit}). The URL will not be downloaded.`);
    this.name = 'TooManyRedirectsError';
  }
}

/** The URL's destination is refused before any connection (Assemblyline's ForbiddenLocation). */
export abstract class ForbiddenLocationError extends FileSourceError {
  readonly status = 400;
}

/** The host name does not resolve, or resolves to no address. */
export class UnresolvableHostError extends ForbiddenLocationError {
  constructor() {
    super('Hostname in this URL cannot be resolved.');
    this.name = 'UnresolvableHostError';
  }
}

/** The host is, or resolves to, an address that is not public (private, loopback, link-local, metadata, …). */
export class ReservedAddressError extends ForbiddenLocationError {
  constructor(readonly host: string) {
    super(`Host '${host}' resolves to a reserved IP address. The URL will not be downloaded.`);
    this.name = 'ReservedAddressError';
  }
}

/** The URL's port is not one of `file_sources.allowed_ports`. */
export class PortNotAllowedError extends ForbiddenLocationError {
  constructor(readonly port: number, readonly allowedPorts: readonly number[]) {
    super(`Port ${port} is not allowed for URL downloads (allowed: ${allowedPorts.join(', ')}). The URL will not be downloaded.`);
    this.name = 'PortNotAllowedError';
  }
}

/** The connection to an allowed destination failed or did not open in time; `reason` says how. */
export class UnreachableHostError extends FileSourceError {
  readonly status = 400;
  constructor(readonly host: string, readonly reason: string) {
    super(`Host '${host}' could not be reached (${reason}). The URL will not be downloaded.`);
    this.name = 'UnreachableHostError';
  }
}

/** The download did not finish within the total time limit. */
export class DownloadTimeoutError extends FileSourceError {
  readonly status = 400;
  constructor(readonly timeoutMs: number) {
    super(`The URL download did not finish within ${timeoutMs / 1000} seconds.`);
    this.name = 'DownloadTimeoutError';
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
