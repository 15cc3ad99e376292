/** Injection token of the Filestore. */
export const FILESTORE = Symbol('FILESTORE');
