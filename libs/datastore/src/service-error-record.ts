import { Schema } from 'mongoose';

/**
 * Assemblyline's error types, plus the time-out (Assemblyline reports it as a pre-empted task); SERVICE DOWN
 * is a selected service that is not there to run (not registered, or disabled).
 */
export const SERVICE_ERROR_TYPES = ['EXCEPTION', 'MAX DEPTH REACHED', 'MAX FILES REACHED', 'SERVICE DOWN', 'TASK PRE-EMPTED', 'UNKNOWN'] as const;
export type ServiceErrorType = (typeof SERVICE_ERROR_TYPES)[number];

/** Why a service produced no result for a file of a submission (Assemblyline's Error). Never cached. */
export interface ServiceErrorRecord {
  /** `<result key or sha256>.<sid>.e`: one per submission, file and service, so a re-run overwrites it. */
  _id: string;
  sid: string;
  sha256: string;
  type: ServiceErrorType;
  created: Date;
  expiry_ts: Date | null;
  response: {
    service_name: string;
    service_version: string;
    message: string;
    /** FAIL_NONRECOVERABLE: retrying the same input will fail again (a limit, an invalid result). */
    status: 'FAIL_RECOVERABLE' | 'FAIL_NONRECOVERABLE';
  };
}

export const SERVICE_ERROR_COLLECTION = 'errors';

export const serviceErrorRecordSchema = new Schema<ServiceErrorRecord>(
  {
    _id: { type: String, required: true },
    sid: { type: String, required: true },
    sha256: { type: String, required: true },
    type: { type: String, enum: SERVICE_ERROR_TYPES, required: true },
    created: { type: Date, required: true },
    expiry_ts: { type: Date, default: null },
    response: {
      service_name: { type: String, required: true },
      service_version: { type: String, required: true },
      message: { type: String, required: true },
      status: { type: String, enum: ['FAIL_RECOVERABLE', 'FAIL_NONRECOVERABLE'], required: true },
    },
  },
  { collection: SERVICE_ERROR_COLLECTION, versionKey: false },
);

serviceErrorRecordSchema.index({ sid: 1 });
serviceErrorRecordSchema.index({ expiry_ts: 1 });
