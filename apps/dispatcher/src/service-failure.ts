import type { ServiceErrorType } from '@hopper/datastore';

/** A service run that ended without a result: what kind of error to record, and whether a retry could help. */
export class ServiceFailure extends Error {
  constructor(
    message: string,
    readonly type: ServiceErrorType,
    readonly recoverable: boolean,
  ) {
    super(message);
    this.name = 'ServiceFailure';
  }

  static timedOut(service: string, seconds: number): ServiceFailure {
    return new ServiceFailure(`${service} did not finish within its ${seconds} s timeout`, 'TASK PRE-EMPTED', true);
  }

  /** Anything a service threw becomes an EXCEPTION error (an invalid result cannot get better by retrying). */
  static from(error: unknown): ServiceFailure {
    if (error instanceof ServiceFailure) return error;
    const message = error instanceof Error ? error.message : String(error);
    const invalid = error instanceof Error && error.name === 'InvalidServiceResultError';
    return new ServiceFailure(message || 'the service failed without a message', 'EXCEPTION', !invalid);
  }
}
