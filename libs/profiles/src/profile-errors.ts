// Assemblyline prints Python lists of names; the metadata library renders them the same way.
import { pyListRepr } from '@hopper/metadata';

/** Why parameters could not be resolved; apps answer 400 for all of them, as Assemblyline does. */
export type SubmissionParamsErrorKind =
  | 'profile_required'
  | 'unknown_profile'
  | 'profile_not_allowed'
  | 'restricted_parameter'
  | 'excluded_service'
  | 'invalid_parameter';

/** Base of every error this library throws; the message is Assemblyline's text where it has one. */
export class SubmissionParamsError extends Error {
  constructor(message: string, readonly kind: SubmissionParamsErrorKind) {
    super(message);
    this.name = new.target.name;
  }
}

/** A user without submission_customize named no profile. Lists every configured profile, as Assemblyline. */
export class SubmissionProfileRequired extends SubmissionParamsError {
  constructor(readonly profileNames: readonly string[]) {
    super(`You must specify a submission profile. One of: ${pyListRepr(profileNames)}`, 'profile_required');
  }
}

export class UnknownSubmissionProfile extends SubmissionParamsError {
  constructor(readonly profileName: string) {
    super(`Submission profile '${profileName}' does not exist`, 'unknown_profile');
  }
}

/** The user's clearance does not cover the profile's classification. */
export class SubmissionProfileNotAllowed extends SubmissionParamsError {
  constructor(readonly profileName: string) {
    super(`You aren't allowed to use '${profileName}' submission profile`, 'profile_not_allowed');
  }
}

/** A limited user changed parameters the profile restricts (submission-level, or of one service). */
export class RestrictedParameterChange extends SubmissionParamsError {
  constructor(readonly params: readonly string[], readonly displayName: string, readonly service?: string) {
    const names = params.map((p) => `"${p}"`).join(', ');
    super(
      service === undefined
        ? `User isn't allowed to modify the ${names} parameters of ${displayName} profile`
        : `User isn't allowed to modify the ${names} parameters of "${service}" service in "${displayName}" profile`,
      'restricted_parameter',
    );
  }
}

/** A limited user selected a service the profile excludes. */
export class ExcludedServiceSelected extends SubmissionParamsError {
  constructor(readonly service: string, readonly category: string, readonly displayName: string) {
    super(`User isn't allowed to select the ${service} service of "${category}" in "${displayName}" profile`, 'excluded_service');
  }
}

/** A parameter is unknown or of the wrong type. */
export class InvalidSubmissionParams extends SubmissionParamsError {
  constructor(message: string, readonly param?: string) {
    super(message, 'invalid_parameter');
  }
}
