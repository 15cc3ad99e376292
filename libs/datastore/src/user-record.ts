import { Schema } from 'mongoose';

/** An API key as stored: never the secret, only a salted hash of it. */
export interface ApiKeyRecord {
  /** HMAC-SHA256 of the secret, keyed with `salt` (hex). */
  hash: string;
  salt: string;
  /** Roles the key is limited to; empty = the user's roles. */
  roles: string[];
  created: Date;
  /** After this the key no longer authenticates; null = no expiry. */
  expiry_ts: Date | null;
}

/** A Hopper user, with Assemblyline's field names. */
export interface UserRecord {
  _id: string;
  uname: string;
  name: string;
  email: string | null;
  /** User types (Assemblyline: admin, user, submitter, viewer, …). */
  type: string[];
  /** Roles granted directly, on top of those the types bring. */
  roles: string[];
  groups: string[];
  /** Threat Grid-style organization (a key of threatgrid.organizations); null = threatgrid.default_organization. */
  organization?: string | null;
  /** Clearance, as a classification string. */
  classification: string;
  is_active: boolean;
  /** bcrypt hash, or null when the user may log in by API key only. */
  password: string | null;
  apikeys: Record<string, ApiKeyRecord>;
  /** Concurrent and daily submission quotas; null = the configured defaults. */
  submission_quota: number | null;
  /** Concurrent ingests (Assemblyline's async quota); null or absent = the configured default. */
  submission_async_quota?: number | null;
  submission_daily_quota: number | null;
  /** Saved submission settings (defaults for this user's submissions). */
  submission_settings: Record<string, unknown>;
  created: Date;
}

export const USER_COLLECTION = 'users';

const apiKeySchema = new Schema<ApiKeyRecord>(
  {
    hash: { type: String, required: true },
    salt: { type: String, required: true },
    roles: { type: [String], default: [] },
    created: { type: Date, required: true },
    expiry_ts: { type: Date, default: null },
  },
  { _id: false },
);

export const userRecordSchema = new Schema<UserRecord>(
  {
    _id: { type: String, required: true },
    uname: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String, default: null },
    type: { type: [String], default: ['user'] },
    roles: { type: [String], default: [] },
    groups: { type: [String], default: [] },
    organization: { type: String, default: null },
    classification: { type: String, required: true },
    is_active: { type: Boolean, default: true },
    password: { type: String, default: null },
    apikeys: { type: Map, of: apiKeySchema, default: {} },
    submission_quota: { type: Number, default: null },
    submission_async_quota: { type: Number, default: null },
    submission_daily_quota: { type: Number, default: null },
    submission_settings: { type: Schema.Types.Mixed, default: {} },
    created: { type: Date, required: true },
  },
  { collection: USER_COLLECTION, versionKey: false, minimize: false },
);
