import { z } from 'zod';

/** Services and categories that run (or are kept out of) a submission. */
export const ServiceSelectionSchema = z.object({
  selected: z.array(z.string()).default([]),
  excluded: z.array(z.string()).default([]),
  rescan: z.array(z.string()).default([]),
  resubmit: z.array(z.string()).default([]),
});

/** Service-specific parameters, by service name then parameter name. */
export const ServiceSpecSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * Assemblyline's SubmissionParams: how one submission is analysed. Every field but `classification` has
 * Assemblyline's model default, so a message or document written with fewer fields (an older
 * version's) still reads whole; a field of the wrong type is an invalid message. Unknown fields are dropped.
 */
export const SubmissionParamsSchema = z.object({
  classification: z.string(),
  deep_scan: z.boolean().default(false),
  description: z.string().default(''),
  generate_alert: z.boolean().default(false),
  groups: z.array(z.string()).default([]),
  ignore_cache: z.boolean().default(false),
  ignore_recursion_prevention: z.boolean().default(false),
  /** Assemblyline's older name of ignore_recursion_prevention, still sent by some clients. */
  ignore_dynamic_recursion_prevention: z.boolean().default(false),
  ignore_filtering: z.boolean().default(false),
  ignore_size: z.boolean().default(false),
  never_drop: z.boolean().default(false),
  malicious: z.boolean().default(false),
  max_extracted: z.number().int().default(500),
  max_supplementary: z.number().int().default(500),
  priority: z.number().int().default(1000),
  /** Extra profiling of the analysis (not the submission profile). */
  profile: z.boolean().default(false),
  psid: z.string().nullable().default(null),
  quota_item: z.boolean().default(false),
  services: ServiceSelectionSchema.default({ selected: [], excluded: [], rescan: [], resubmit: [] }),
  service_spec: ServiceSpecSchema.default({}),
  /** Set by the API from the caller; '' only in documents written without one (tests' fixtures, say). */
  submitter: z.string().default(''),
  /** Days to live; 0 means no expiry (unless submission.max_dtl caps it). */
  ttl: z.number().default(0),
  type: z.string().default('USER'),
  initial_data: z.string().nullable().default(null),
  auto_archive: z.boolean().default(false),
  delete_after_archive: z.boolean().default(false),
  use_archive_alternate_dtl: z.boolean().default(false),
});

export type SubmissionParams = z.infer<typeof SubmissionParamsSchema>;
export type ServiceSelection = z.infer<typeof ServiceSelectionSchema>;
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;
