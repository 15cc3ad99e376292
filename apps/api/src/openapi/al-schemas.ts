import { anyValue, arrayOf, bool, dateTime, int, mapOf, nullable, num, object, oneOfValues, ref, SchemaObject, sha256, str } from './schema-builders';

const fileRef = object({ name: str, sha256, description: str, classification: str, parent_relation: str }, { optional: ['description'] });

const section = object({
  auto_collapse: bool,
  body: anyValue,
  body_format: str,
  classification: str,
  depth: int,
  heuristic: nullable(object({ heur_id: str, name: str, attack: arrayOf(object({ attack_id: str, pattern: str, categories: arrayOf(str) })), signature: arrayOf(mapOf()), score: num })),
  tags: arrayOf(object({ type: str, value: str, short_type: str, safelisted: bool })),
  title_text: str,
});

const result = object({
  key: str,
  archive_ts: nullable(str),
  classification: str,
  created: nullable(dateTime),
  expiry_ts: nullable(dateTime),
  response: object({
    milestones: object({ service_started: nullable(dateTime), service_completed: nullable(dateTime) }),
    service_name: str,
    service_version: str,
    service_tool_version: nullable(str),
    supplementary: arrayOf(fileRef),
    extracted: arrayOf(fileRef),
  }),
  result: object({ score: num, sections: arrayOf(section) }),
  sha256,
  type: str,
  size: nullable(int),
  drop_file: bool,
  partial: bool,
  from_archive: bool,
});

const serviceError = object({
  key: str,
  archive_ts: nullable(str),
  created: nullable(dateTime),
  expiry_ts: nullable(dateTime),
  response: object({ message: str, service_name: str, service_version: str, status: str }),
  sha256,
  sid: nullable(str),
  type: str,
  severity: str,
});

const fileInfo = object({
  sha256,
  md5: str,
  sha1: str,
  size: int,
  type: str,
  magic: nullable(str),
  mime: nullable(str),
  entropy: nullable(num),
  classification: str,
  seen: object({ count: int, first: dateTime, last: dateTime }),
  expiry_ts: nullable(dateTime),
});

const submission = object({
  archive_ts: nullable(str),
  archived: bool,
  classification: str,
  error_count: int,
  errors: arrayOf(str),
  expiry_ts: nullable(dateTime),
  file_count: int,
  files: arrayOf(object({ name: str, sha256, size: nullable(int) }, { closed: true })),
  from_archive: bool,
  max_score: num,
  metadata: mapOf(str),
  params: mapOf(),
  results: arrayOf(str),
  sid: str,
  state: oneOfValues('submitted', 'completed', 'failed'),
  times: object({ submitted: dateTime, completed: nullable(dateTime) }),
  to_be_deleted: bool,
  tracing_events: arrayOf(anyValue),
  verdict: object({ malicious: arrayOf(str), non_malicious: arrayOf(str) }),
  scan_key: nullable(str),
});

/** Findings of a file's results, as Assemblyline's file views list them. */
const findings = { tags: mapOf(), attack_matrix: mapOf(), heuristics: mapOf(), signatures: arrayOf(anyValue) };

const page = (item: string): SchemaObject => object({ items: arrayOf(ref(item)), offset: int, rows: int, total: int }, { closed: true });

const notification = object({
  ingest_id: str,
  submission: object({ sid: str, metadata: mapOf(), params: mapOf(), files: arrayOf(mapOf()) }, { optional: ['sid'] }),
  score: nullable(num),
  failure: str,
  retries: int,
  extended_scan: oneOfValues('submitted', 'skipped', 'incomplete', 'completed'),
  ingest_time: str,
  notify_time: nullable(str),
});

/** Assemblyline models the /api/v4 routes answer, in `components.schemas`. */
export const AL_SCHEMAS: Record<string, SchemaObject> = {
  AlSubmission: submission,
  AlSubmissionPage: page('AlSubmission'),
  // The Submission with its results and errors by key instead of lists of keys.
  AlFullSubmission: object({
    ...submission.properties,
    file_tree: mapOf(),
    file_infos: mapOf(ref('AlFileInfo')),
    missing_file_keys: arrayOf(str),
    results: mapOf(ref('AlResult')),
    missing_result_keys: arrayOf(str),
    errors: mapOf(ref('AlServiceError')),
    missing_error_keys: arrayOf(str),
  }),
  AlSubmissionSummary: object({
    map: mapOf(arrayOf(str)),
    tags: object({ attribution: mapOf(), behavior: mapOf(), ioc: mapOf() }),
    attack_matrix: mapOf(),
    heuristics: mapOf(),
    classification: str,
    filtered: bool,
    partial: bool,
    heuristic_sections: mapOf(),
    heuristic_name_map: mapOf(),
  }),
  AlSubmissionTree: object({ tree: mapOf(), classification: str, filtered: bool, partial: bool, supplementary: arrayOf(str) }, { closed: true }),
  AlFileInfo: fileInfo,
  AlResult: result,
  AlServiceError: serviceError,
  AlFileResults: object({
    classification: str,
    file_info: ref('AlFileInfo'),
    results: arrayOf(ref('AlResult')),
    ...findings,
    parents: arrayOf(str),
    childrens: arrayOf(object({ sha256, name: str })),
    metadata: mapOf(),
    alternates: mapOf(arrayOf(mapOf())),
    errors: arrayOf(anyValue),
    file_viewer_only: bool,
  }),
  AlSubmissionFile: object({
    classification: str,
    file_info: ref('AlFileInfo'),
    results: arrayOf(ref('AlResult')),
    errors: arrayOf(ref('AlServiceError')),
    ...findings,
    metadata: mapOf(),
  }),
  AlContent: object({ content: str, truncated: bool }, { closed: true }),
  AlWhoami: object({
    username: str,
    name: nullable(str),
    email: nullable(str),
    type: arrayOf(str),
    roles: arrayOf(str),
    groups: arrayOf(str),
    classification: str,
    is_active: bool,
    is_admin: bool,
    api_daily_quota: int,
    submission_daily_quota: int,
    c12nDef: mapOf(),
    configuration: mapOf(),
    settings: mapOf(),
  }),
  AlQuotas: object(
    {
      username: str,
      enforce_quota: bool,
      submission_quota: int,
      submission_async_quota: int,
      submission_daily_quota: int,
      submission_count: int,
      submission_async_count: int,
      submission_daily_count: int,
      remaining_quota_submission: nullable(int),
      daily_submission: int,
      daily_api: int,
    },
    { closed: true },
  ),
  AlNotification: notification,
  AlNotificationOrNull: nullable(notification),
  AlIngestStatus: object(
    {
      ingest_id: str,
      state: oneOfValues('queued', 'in_progress', 'completed', 'failed', 'dropped'),
      outcome: nullable(str),
      sid: nullable(str),
      score: nullable(num),
      failure: nullable(str),
    },
    // An ingest in progress has only its id, state and how it is served so far.
    { optional: ['outcome', 'sid', 'score', 'failure'] },
  ),
  AlAlert: object({
    alert_id: str,
    sid: str,
    classification: str,
    ts: dateTime,
    reporting_ts: dateTime,
    al: object({ score: num }),
    file: object({ name: str, sha256, size: nullable(int) }),
    metadata: mapOf(str),
    filtered: bool,
    label: arrayOf(str),
    submitter: str,
    ingest_ids: arrayOf(str),
  }),
  AlAlertPage: page('AlAlert'),
  AlFileSource: object({
    name: str,
    hash_types: arrayOf(str),
    hash_patterns: nullable(mapOf()),
    classification: str,
    auto_select: bool,
    download_from_url: bool,
    select_services: arrayOf(str),
  }),
  AlSubmissionParams: object({ submitter: str, groups: arrayOf(str), classification: str, services: mapOf() }),
  AlLogin: object({ username: str, roles_limit: nullable(arrayOf(str)), session_duration: int }),
  AlSuccess: object({ success: bool }, { closed: true }),
};

/** Input schemas of bodies the routes read with their own code (documented here, validated there). */
export const submitJsonBody: SchemaObject = object(
  {
    sha256: { ...str, description: 'A file Hopper holds, by sha256' },
    url: { ...str, description: 'A URL to fetch and submit' },
    name: str,
    params: { ...mapOf(), description: 'Submission parameters (services, priority, ttl, classification, description…)' },
    metadata: mapOf(),
    submission_profile: str,
  },
  { optional: ['sha256', 'url', 'name', 'params', 'metadata', 'submission_profile'], description: 'One of sha256, url, or a file source (by its name as key)' },
);

export const ingestJsonBody: SchemaObject = {
  ...submitJsonBody,
  properties: { ...submitJsonBody.properties, notification_queue: str, notification_threshold: int, generate_alert: bool },
};
