/** Role of users who may submit without a profile and change any parameter (Assemblyline's name). */
export const SUBMISSION_CUSTOMIZE_ROLE = 'submission_customize';

/** Administrators are never held to a profile's restricted parameters (as in Assemblyline). */
export const ADMINISTRATION_ROLE = 'administration';
