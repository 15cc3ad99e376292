// Assemblyline's texts (api/v4/file.py), each route its own.
export const FILE_DOES_NOT_EXIST = 'This file does not exists.';
export const FILE_NOT_FOUND = 'The file was not found in the system.';
/** The record exists but the filestore no longer holds the bytes. */
export const BLOB_NOT_FOUND = 'This file was not found in the system.';
/** The result, score and per-service result routes say it without the full stop. */
export const FILE_DOES_NOT_EXIST_BARE = 'This file does not exists';
