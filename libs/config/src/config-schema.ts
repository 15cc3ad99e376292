import * as ipaddr from 'ipaddr.js';
import { DEFAULT_RESTRICTED_PARAMS } from '@hopper/profiles';
import { z } from 'zod';
import { hasHashTag } from './hash-tag';

// Rule helpers: each carries the message that names its rule, so errors read `<key path>: <rule>`.
const positiveInt = () =>
  z.number({ error: 'must be a positive integer' }).int({ error: 'must be a positive integer' }).positive({
    error: 'must be a positive integer',
  });
const nonNegativeInt = () =>
  z.number({ error: 'must be a non-negative integer' }).int({ error: 'must be a non-negative integer' }).min(0, {
    error: 'must be a non-negative integer',
  });
const port = () =>
  z.number({ error: 'must be a port number (0-65535)' }).int({ error: 'must be a port number (0-65535)' }).min(0, {
    error: 'must be a port number (0-65535)',
  }).max(65535, { error: 'must be a port number (0-65535)' });
const text = () => z.string({ error: 'must be a string' });
const nonEmptyText = () => text().min(1, { error: 'must not be empty' });
const flag = () => z.boolean({ error: 'must be true or false' });
const textList = () => z.array(text(), { error: 'must be a list of strings' });
// host:port, host a name, IPv4 or [IPv6] address.
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const textMap = () => z.record(text(), text(), { error: 'must be a mapping of strings' });
const urlWithScheme = (schemes: string[]) =>
  nonEmptyText().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.slice(0, -1));
      } catch {
        return false;
      }
    },
    { error: `must be a URL with scheme ${schemes.join(' or ')}` },
  );

const serviceSelectionSchema = z
  .object({
    selected: textList().optional(),
    excluded: textList().optional(),
    rescan: textList().optional(),
    resubmit: textList().optional(),
  })
  .strict();

/** SubmissionProfileParams: every field optional; what a profile presets. */
const profileParamsSchema = z
  .object({
    classification: text().optional(),
    deep_scan: flag().optional(),
    generate_alert: flag().optional(),
    ignore_cache: flag().optional(),
    ignore_recursion_prevention: flag().optional(),
    ignore_filtering: flag().optional(),
    ignore_size: flag().optional(),
    max_extracted: nonNegativeInt().optional(),
    max_supplementary: nonNegativeInt().optional(),
    priority: positiveInt().optional(),
    services: serviceSelectionSchema.optional(),
    service_spec: z.record(text(), z.record(text(), z.unknown())).optional(),
    auto_archive: flag().optional(),
    delete_after_archive: flag().optional(),
    ttl: nonNegativeInt().optional(),
    type: text().optional(),
    use_archive_alternate_dtl: flag().optional(),
  })
  .strict();

const profileSchema = z
  .object({
    name: nonEmptyText(),
    display_name: nonEmptyText(),
    description: text().nullish(),
    // Checked against the classification definition when the engine loads it.
    classification: text().optional(),
    params: profileParamsSchema,
    // Assemblyline's list (kept in libs/profiles), copied so no two profiles share one object.
    restricted_params: z
      .record(text(), textList())
      .default(() => Object.fromEntries(Object.entries(DEFAULT_RESTRICTED_PARAMS).map(([key, list]) => [key, [...list]]))),
  })
  .strict();

/** Metadata field types (Assemblyline's METADATA_FIELDTYPE_MAP keys, plus `int` as its documentation spells it). */
export const METADATA_VALIDATOR_TYPES = [
  'date', 'boolean', 'keyword', 'text', 'ip', 'domain', 'email', 'uri', 'integer', 'int', 'regex', 'enum', 'list',
  'float', 'upper', 'lower', 'md5', 'sha1', 'sha256',
] as const;

// Assemblyline's model names the fields validator_*, its documentation validation_*: both are accepted.
const metadataFieldSchema = z
  .object({
    validator_type: z.enum(METADATA_VALIDATOR_TYPES, { error: `must be one of ${METADATA_VALIDATOR_TYPES.join(', ')}` }).optional(),
    validation_type: z.enum(METADATA_VALIDATOR_TYPES, { error: `must be one of ${METADATA_VALIDATOR_TYPES.join(', ')}` }).optional(),
    validator_params: z.record(text(), z.unknown()).optional(),
    validation_params: z.record(text(), z.unknown()).optional(),
    suggestions: textList().default([]),
    suggestion_key: text().nullish(),
    default: z.unknown().optional(),
    required: flag().default(false),
    aliases: textList().default([]),
  })
  .strict();

const metadataSchemeSchema = z.record(text(), metadataFieldSchema);

const metadataConfigSchema = z
  .object({
    archive: metadataSchemeSchema.default({}),
    submit: metadataSchemeSchema.default({}),
    ingest: z.record(text(), metadataSchemeSchema).default({ INGEST: {} }),
    strict_schemes: textList().default([]),
  })
  .strict();

const fileSourceSchema = z
  .object({
    name: nonEmptyText(),
    auto_select: flag().default(false),
    download_from_url: flag().default(true),
    hash_types: textList().default(['sha256']),
    hash_patterns: textMap().nullish(),
    classification: text().nullish(),
    data: text().nullish(),
    failure_pattern: text().nullish(),
    method: z.enum(['GET', 'POST'], { error: 'must be GET or POST' }).default('GET'),
    url: nonEmptyText(),
    replace_pattern: nonEmptyText().default('{INPUT}'),
    headers: textMap().default({}),
    proxies: textMap().default({}),
    select_services: textList().default([]),
    verify: flag().default(true),
    password: text().nullish(),
    metadata: z.record(text(), z.unknown()).nullish(),
  })
  .strict();

// Assemblyline's deprecated predecessor of file sources: the same fields, fewer of them.
const sha256SourceSchema = fileSourceSchema
  .pick({
    name: true,
    classification: true,
    data: true,
    failure_pattern: true,
    method: true,
    url: true,
    replace_pattern: true,
    headers: true,
    proxies: true,
    verify: true,
  })
  .strict();

const submissionSchema = z
  .object({
    default_max_extracted: nonNegativeInt(),
    default_max_supplementary: nonNegativeInt(),
    dtl: nonNegativeInt(),
    emptyresult_dtl: nonNegativeInt(),
    max_dtl: nonNegativeInt(),
    max_extraction_depth: positiveInt(),
    max_file_size: positiveInt(),
    max_metadata_length: positiveInt(),
    max_temp_data_length: positiveInt(),
    tag_types: z.object({ attribution: textList(), behavior: textList(), ioc: textList() }).strict(),
    verdicts: z
      .object({
        info: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }),
        suspicious: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }),
        highly_suspicious: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }),
        malicious: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }),
      })
      .strict(),
    default_temporary_keys: z.record(text(), z.enum(['union', 'overwrite'], { error: 'must be union or overwrite' })),
    temporary_keys: z.record(text(), z.enum(['union', 'overwrite'], { error: 'must be union or overwrite' })),
    profiles: z.array(profileSchema, { error: 'must be a list of profiles' }),
    metadata: metadataConfigSchema,
    file_sources: z.array(fileSourceSchema, { error: 'must be a list of file sources' }),
    sha256_sources: z.array(sha256SourceSchema, { error: 'must be a list of sources' }).default([]),
  })
  .strict()
  .superRefine((submission, ctx) => {
    const seen = new Set<string>();
    submission.profiles.forEach((profile, index) => {
      if (seen.has(profile.name)) {
        ctx.addIssue({ code: 'custom', path: ['profiles', index, 'name'], message: `duplicate profile name "${profile.name}"` });
      }
      seen.add(profile.name);
    });
    if (submission.max_dtl > 0 && submission.dtl > submission.max_dtl) {
      ctx.addIssue({ code: 'custom', path: ['dtl'], message: 'must not exceed submission.max_dtl' });
    }
  });

const uiSchema = z
  .object({
    allow_url_submissions: flag(),
    allow_malicious_hinting: flag(),
    // Assemblyline caps it at the "critical" priority band.
    ingest_max_priority: positiveInt().max(400, { error: 'must be at most 400 (critical)' }),
    url_submission_auto_service_selection: textList(),
    url_submission_headers: textMap(),
    url_submission_proxies: textMap(),
    url_submission_timeout: positiveInt(),
    default_zip_password: text().nullish(),
    enforce_quota: flag(),
    default_quotas: z
      .object({
        concurrent_api_calls: nonNegativeInt(),
        daily_api_calls: nonNegativeInt(),
        concurrent_submissions: nonNegativeInt(),
        concurrent_async_submissions: nonNegativeInt(),
        daily_submissions: nonNegativeInt(),
      })
      .strict(),
  })
  .strict();

const builtinServiceSchema = z.object({ enabled: flag().default(true) }).strict();

// The analysis services the dispatcher runs. Built-in services run in its process; external services
// (declared by manifest: a sandbox, an AV) take tasks from their own queue and post results to the API.
const servicesSchema = z
  .object({
    builtin: z
      .object({
        Extract: z
          .object({
            enabled: flag().default(true),
            // Passwords tried on protected archives after the submission's own.
            default_passwords: textList().default(['infected', 'password']),
            // Archive-bomb limits, counted on the bytes actually produced.
            max_entries: positiveInt().default(1000),
            max_total_bytes: positiveInt().default(1024 * 1024 * 1024),
            max_ratio: positiveInt().default(1000),
          })
          .strict()
          .prefault({}),
        Characterize: builtinServiceSchema.prefault({}),
        IOC: builtinServiceSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    // Manifests of external services (validated by libs/services when the dispatcher starts).
    external: z.array(z.record(z.string(), z.unknown()), { error: 'must be a list of service manifests' }).default([]),
    // No longer read: a posted result wakes its dispatch (ExternalTaskWaits). Accepted so that configuration
    // files written for earlier versions still load.
    external_poll_ms: positiveInt().optional(),
  })
  .strict();

const ingesterSchema = z
  .object({
    always_create_submission: flag(),
    default_user: nonEmptyText(),
    default_services: textList(),
    default_resubmit_services: textList(),
    description_prefix: text(),
    default_max_extracted: nonNegativeInt(),
    default_max_supplementary: nonNegativeInt(),
    expire_after: positiveInt(),
    stale_after_seconds: positiveInt(),
    incomplete_expire_after_seconds: positiveInt(),
    incomplete_stale_after_seconds: positiveInt(),
    sampling_at: z
      .object({ low: positiveInt(), medium: positiveInt(), high: positiveInt(), critical: positiveInt() })
      .strict(),
    max_inflight: positiveInt(),
    cache_dtl: nonNegativeInt(),
    // Hopper's additions (Assemblyline hard-codes these in its ingester); defaults are Assemblyline's values.
    max_retries: nonNegativeInt().default(10),
    retry_delay_seconds: positiveInt().default(240),
    dispatch_timeout_seconds: positiveInt().default(2 * 24 * 3600),
    // Seconds between two sweeps for submissions past dispatch_timeout_seconds (one sweep for all processes).
    timeout_sweep_interval_seconds: positiveInt().default(300),
    notification_queue_max_length: nonNegativeInt().default(100_000),
    notification_queue_ttl_seconds: nonNegativeInt().default(2 * 24 * 3600),
    alert_threshold: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).default(500),
    never_drop: z
      .object({ submitters: textList().default([]), metadata: z.record(text(), textList()).default({}) })
      .strict()
      .default({ submitters: [], metadata: {} }),
  })
  .strict();

// Assemblyline's core.alerter: how long an alert lives.
const alerterSchema = z
  .object({
    // Days an alert is kept (0 = forever).
    alert_ttl: nonNegativeInt().default(90),
  })
  .strict();

// Hopper's expiry sweeper (run by the ingester, one sweep at a time across all its processes).
const expirySchema = z
  .object({
    // Seconds between two sweeps.
    sweep_interval_seconds: positiveInt().default(300),
    // Documents (or blobs) handled per batch: one query, one bulk delete.
    batch_size: positiveInt().max(10_000, { error: 'must be at most 10000' }).default(1000),
    // Batches per collection per sweep at most: the work of one sweep is bounded, the next goes on.
    max_batches_per_sweep: positiveInt().default(50),
    // Seconds a blob no `files` document names is kept before it is collected. Keep it well above the
    // longest time between a blob's commit and its document's write (api.request_timeout_seconds).
    blob_grace_seconds: positiveInt().default(24 * 3600),
    // Blobs listed per sweep at most when looking for unreferenced ones (0 = no unreferenced-blob collection).
    max_blobs_listed_per_sweep: nonNegativeInt().default(100_000),
  })
  .strict();

const healthSchema = z
  .object({
    // /healthz of every process (API and workers) answers 503 once MongoDB or Redis has been unreachable for
    // this long, so an orchestrator restarts it. Below that, an outage is waited out: 503s, paused workers.
    unhealthy_after_seconds: positiveInt().default(60),
    // How often each process checks that it reaches MongoDB and Redis; a worker pauses taking jobs when a
    // check fails and resumes at the first one that passes.
    probe_interval_seconds: positiveInt().default(2),
    // After this many failed MongoDB checks in a row while a new connection reaches the server, the process
    // replaces its MongoDB client (one stuck on a dead socket never recovers by itself).
    mongo_reconnect_after_failures: positiveInt().default(3),
  })
  .strict();

const workerSchema = z
  .object({
    // 0 turns the worker's health/metrics port off.
    metrics_port: port(),
    concurrency: positiveInt(),
    // The ingester's `complete` worker only (ended submissions: Redis work, a few milliseconds each): jobs it
    // runs at once. Unset: 1 (see config/hopper.yml).
    complete_concurrency: positiveInt().optional(),
    shutdown_grace_seconds: positiveInt(),
    // A job's lock lives this long unless renewed; a worker that died holding one is found by the stalled
    // check, run as often, and its job handed to another worker (BullMQ's 30 s by default).
    lock_seconds: positiveInt().default(30),
    // The MongoDB writes of the jobs in flight go out together: a batch closes at max_documents documents or
    // max_wait_ms after its first one, and each job is acknowledged once its batch is stored.
    write_batch: z
      .object({ max_documents: positiveInt().default(32), max_wait_ms: positiveInt().default(5) })
      .strict()
      .default({ max_documents: 32, max_wait_ms: 5 }),
  })
  .strict();

// The safe downloader every URL fetch goes through (URL submissions and file sources).
const fileSourcesSchema = z
  .object({
    // CIDRs exempt from the refusal of private/loopback/reserved addresses. Tests only: keep empty in production.
    allow_networks: z
      .array(
        text().refine((value) => ipaddr.isValidCIDR(value), { error: 'must be a CIDR such as 127.0.0.1/32' }),
        { error: 'must be a list of CIDRs' },
      )
      .default([]),
    connect_timeout_seconds: positiveInt().default(10),
    total_timeout_seconds: positiveInt().default(60),
    allowed_ports: z.array(port(), { error: 'must be a list of port numbers' }).default([80, 443]),
  })
  .strict();

// Threat Grid-compatible API (/api/v2, /api/v3) and its automated-submission controls.
const tgRateLimitSchema = z
  .object({
    minutes: positiveInt(),
    // A hard number of samples per window, or a percentage of the organization's limit over the same window.
    samples: positiveInt().optional(),
    percent: z.number({ error: 'must be a number' }).gt(0, { error: 'must be above 0' }).max(100, { error: 'must be at most 100' }).optional(),
  })
  .strict()
  .refine((limit) => (limit.samples === undefined) !== (limit.percent === undefined), {
    error: 'must give exactly one of samples and percent',
  });

const tgOrganizationSchema = z
  .object({
    // Threat Grid's organization_id (an integer).
    id: positiveInt(),
    // Rolling windows, all enforced; percentages are not allowed at this level.
    submission_rate_limit: z.array(tgRateLimitSchema).default([{ samples: 1000, minutes: 1440 }]),
    // Assemblyline type patterns (matched from the start, like Python's re.match) a sample's type must match; null = any type.
    allowed_types: textList().nullable().default(null),
    // Extract archives at intake and submit each supported member as its own sample.
    extract_archives: flag().default(false),
  })
  .strict();

const tgUserSchema = z
  .object({
    submission_rate_limit: z.array(tgRateLimitSchema).default([]),
    // Overrides the organization's list when set.
    allowed_types: textList().nullable().default(null),
    // Overrides threatgrid.automated_user_types for this user.
    automated: flag().optional(),
  })
  .strict();

const tgVmSchema = z
  .object({
    vm: nonEmptyText(),
    'display-name': nonEmptyText(),
    software: textList().default([]),
    'ui-only': flag().default(false),
  })
  .strict();

const threatGridSchema = z
  .object({
    // Base URL of the links back to a sample (`permalink`); null = the request's own scheme and host.
    portal_url: urlWithScheme(['http', 'https']).nullable().default(null),
    // A sha256 the same organization submitted this recently is not submitted again (Threat Grid: at least 15).
    dedupe_window_minutes: positiveInt().min(15, { error: 'must be at least 15 (minutes)' }).default(60),
    // The organization of users whose account names none.
    default_organization: nonEmptyText().default('default'),
    organizations: z.record(text(), tgOrganizationSchema).default({ default: { id: 1, submission_rate_limit: [{ samples: 1000, minutes: 1440 }], allowed_types: null, extract_archives: false } }),
    // Per-user limits and policy, by user name.
    users: z.record(text(), tgUserSchema).default({}),
    // Users of these types submit automatically: automated_denied_types are refused for them.
    automated_user_types: textList().default(['submitter']),
    automated_denied_types: textList().default(['code/html', 'code/hta', 'code/javascript', 'code/jscript']),
    // The submission profile Threat Grid samples are analysed with (Threat Grid is a sandbox: dynamic by default).
    submission_profile: nonEmptyText().default('static_with_dynamic'),
    // The analysis service (by name: an external sandbox) the vm, playbook and network_exit options are handed
    // to as its parameters (service_spec); a submission that sets one of them selects it.
    dynamic_service: nonEmptyText().default('Sandbox'),
    // Services `classify=true` adds to the selection.
    classify_services: textList().default(['Characterize']),
    // Classification a private sample gets at least; null = the system's default classification.
    private_classification: text().nullable().default(null),
    vms: z.array(tgVmSchema).default([{ vm: 'win10', 'display-name': 'Windows 10 64-bit', software: [], 'ui-only': false }]),
    playbooks: z
      .array(z.object({ name: nonEmptyText(), display: nonEmptyText(), description: text().default('') }).strict())
      .default([
        { name: 'default', display: 'Default', description: 'Run the sample and wait.' },
        { name: 'none', display: 'None', description: 'Run the sample without interaction.' },
      ]),
    network_exits: z
      .array(z.object({ name: nonEmptyText(), simulation: nonEmptyText(), description: text().default('') }).strict())
      .default([
        { name: 'direct', simulation: 'none', description: 'Real Internet access.' },
        { name: 'sim-as-needed', simulation: 'As Needed', description: 'Simulated when the real host does not answer.' },
        { name: 'sim-all', simulation: 'All Simulated', description: 'Every connection simulated.' },
      ]),
  })
  .strict()
  .superRefine((tg, ctx) => {
    if (!tg.organizations[tg.default_organization]) {
      ctx.addIssue({ code: 'custom', path: ['default_organization'], message: 'must name one of threatgrid.organizations' });
    }
    for (const [name, org] of Object.entries(tg.organizations)) {
      if (org.submission_rate_limit.some((limit) => limit.percent !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['organizations', name, 'submission_rate_limit'], message: 'must give samples, not percent' });
      }
    }
  });

export const configSchema = z
  .object({
    api: z
      .object({
        host: nonEmptyText(),
        port: port(),
        // JSON request bodies (and multipart `json` parts) larger than this are refused with a 413.
        max_json_body: positiveInt().default(1024 * 1024),
        // Largest upload accepted at all: a submission with params.ignore_size may exceed
        // submission.max_file_size up to this (it streams to the filestore, never into memory).
        // At most 5 GiB: the S3 filestore commits with a single server-side copy, which S3 caps there.
        max_upload_bytes: positiveInt().max(5 * 1024 ** 3, { error: 'must be at most 5368709120 (5 GiB)' }).default(4 * 1024 ** 3),
        // Seconds an API key that verified is trusted without looking the user up again (0 = never).
        auth_cache_seconds: nonNegativeInt().default(5),
        // Longest a request may take. The HTTP server ends a request not received within it, and a quota
        // slot a request takes is only leased for this long until its work is queued, so a process killed
        // mid-request holds no slot for longer.
        request_timeout_seconds: positiveInt().default(300),
        // Where the first start writes the generated credentials of the `admin` user (mode 0600), so that
        // they never reach the log.
        admin_credentials_file: nonEmptyText().default('./data/admin-credentials'),
      })
      .strict(),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'must be one of fatal, error, warn, info, debug, trace, silent',
        }),
      })
      .strict(),
    redis: z
      .object({
        url: urlWithScheme(['redis', 'rediss']),
        prefix: nonEmptyText(),
        // Life of a file's record (FileRecords), renewed by every sighting of the file.
        file_record_ttl_seconds: positiveInt().default(3600),
        // Redis Cluster: the seed nodes (host:port) of a cluster, which replaces redis.url when set.
        cluster: z
          .object({
            nodes: z
              .array(text().regex(HOST_PORT, { error: 'must be host:port' }), { error: 'must be a list of host:port' })
              .default([]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .superRefine((redis, ctx) => {
        // A cluster hashes each key to a slot; only a hash tag keeps a deployment's keys (and so its Lua
        // scripts and BullMQ's) in one slot, where multi-key commands work.
        if (redis.cluster.nodes.length > 0 && !hasHashTag(redis.prefix)) {
          ctx.addIssue({
            code: 'custom',
            path: ['prefix'],
            message: `must carry a hash tag such as {hopper} when redis.cluster.nodes is set (got ${JSON.stringify(redis.prefix)})`,
          });
        }
      }),
    mongo: z.object({ url: urlWithScheme(['mongodb', 'mongodb+srv']) }).strict(),
    filestore: z
      .object({
        backend: z.enum(['local', 's3'], { error: 'must be local or s3' }),
        local: z.object({ path: nonEmptyText() }).strict(),
        // A staged upload (not yet named by its sha256) untouched for this long belongs to a request that
        // died: it is removed. Keep it above api.request_timeout_seconds.
        staging_max_age_seconds: positiveInt().default(3600),
        s3: z
          .object({
            endpoint: text().optional(),
            access_key: text().optional(),
            secret_key: text().optional(),
            bucket: nonEmptyText(),
            region: text().optional(),
          })
          .strict(),
      })
      .strict()
      .superRefine((filestore, ctx) => {
        if (filestore.backend !== 's3') return;
        for (const key of ['endpoint', 'access_key', 'secret_key'] as const) {
          if (!filestore.s3[key]) {
            ctx.addIssue({ code: 'custom', path: ['s3', key], message: 'is required when filestore.backend is s3' });
          }
        }
        const endpoint = filestore.s3.endpoint;
        if (endpoint && !/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
          ctx.addIssue({ code: 'custom', path: ['s3', 'endpoint'], message: 'must be an http(s) URL with no path' });
        }
      }),
    classification: nonEmptyText(),
    workers: z.object({ ingester: workerSchema, dispatcher: workerSchema }).strict(),
    health: healthSchema.prefault({}),
    submission: submissionSchema,
    ui: uiSchema,
    core: z.object({ ingester: ingesterSchema, alerter: alerterSchema.prefault({}) }).strict(),
    expiry: expirySchema.prefault({}),
    // prefault: an absent section is parsed as {}, so every default above applies.
    services: servicesSchema.prefault({}),
    threatgrid: threatGridSchema.prefault({}),
    file_sources: fileSourcesSchema.default({
      allow_networks: [],
      connect_timeout_seconds: 10,
      total_timeout_seconds: 60,
      allowed_ports: [80, 443],
    }),
  })
  .strict();

export type HopperConfig = z.infer<typeof configSchema>;
export type SubmissionProfileConfig = HopperConfig['submission']['profiles'][number];
export type MetadataFieldConfig = z.infer<typeof metadataFieldSchema>;
export type ThreatGridConfig = HopperConfig['threatgrid'];
export type ThreatGridRateLimit = ThreatGridConfig['organizations'][string]['submission_rate_limit'][number];
export type FileSourceConfig = HopperConfig['submission']['file_sources'][number];
