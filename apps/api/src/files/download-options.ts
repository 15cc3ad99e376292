import { safeBasename } from '../intake/safe-filename';
import { queryValue } from '../http/query-value';
import { ZIP_ENCRYPTIONS, ZipEncryption } from './encrypted-zip';

/** Assemblyline's download encodings (`user_settings.ENCODINGS`). */
export const DOWNLOAD_ENCODINGS = ['cart', 'raw', 'zip'] as const;
export type DownloadEncoding = (typeof DOWNLOAD_ENCODINGS)[number];

/** Assemblyline's default `download_encoding` user setting. */
export const DEFAULT_DOWNLOAD_ENCODING: DownloadEncoding = 'cart';
/** Assemblyline's default `default_zip_password`, when the configuration sets none. */
export const DEFAULT_ZIP_PASSWORD = 'infected';

export const NO_PASSWORD = "No password given or retrieved from user's settings.";

export interface DownloadOptions {
  encoding: DownloadEncoding;
  /** The file's name as the caller asked for it (sha256 when not given), before any `.cart`/`.zip`. */
  name: string;
  /** For zip only. */
  password: string;
  zipEncryption: ZipEncryption;
  sid: string | null;
}

export interface DownloadQuery {
  encoding?: unknown;
  name?: unknown;
  password?: unknown;
  zip_encryption?: unknown;
  sid?: unknown;
}

/**
 * The options of `GET /api/v4/file/download/<sha256>/` (Assemblyline's `encoding`, `name`, `password`,
 * `sid`, plus Hopper's `zip_encryption`), with Assemblyline's defaults; `{error}` for a value Hopper
 * cannot honour, with Assemblyline's texts where it has one.
 */
export function parseDownloadOptions(
  query: DownloadQuery,
  sha256: string,
  defaults: { encoding: DownloadEncoding; zipPassword: string | null },
): DownloadOptions | { error: string } {
  const askedEncoding = queryValue(query.encoding)?.trim().toLowerCase() || defaults.encoding;
  if (!(DOWNLOAD_ENCODINGS as readonly string[]).includes(askedEncoding)) {
    return { error: `${askedEncoding.toUpperCase()} is not in the valid encoding types: ${DOWNLOAD_ENCODINGS.join(', ')}` };
  }
  const encoding = askedEncoding as DownloadEncoding;
  // An empty `password=` is a password not given, as in Assemblyline: it does not fall back to the default.
  const password = queryValue(query.password) ?? defaults.zipPassword ?? '';
  if (encoding === 'zip' && password === '') return { error: NO_PASSWORD };
  const zipEncryption = queryValue(query.zip_encryption)?.trim().toLowerCase() || 'aes256';
  if (!(ZIP_ENCRYPTIONS as readonly string[]).includes(zipEncryption)) {
    return { error: `zip_encryption must be one of ${ZIP_ENCRYPTIONS.join(', ')}; got ${JSON.stringify(zipEncryption)}` };
  }
  return {
    encoding,
    name: safeBasename(queryValue(query.name) ?? '') || sha256,
    password,
    zipEncryption: zipEncryption as ZipEncryption,
    sid: queryValue(query.sid)?.trim() || null,
  };
}
