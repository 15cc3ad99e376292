import { arrayOf, bool, int, mapOf, nullable, num, object, oneOfValues, ref, SchemaObject, sha256, str } from './schema-builders';

const state = oneOfValues('wait', 'prep', 'run', 'proc', 'succ', 'fail');

/** Threat Grid's offset paging fields around `items`. */
const page = (items: SchemaObject): SchemaObject => object({ current_item_count: int, index: int, items_per_page: int, total: int, items: arrayOf(items) }, { closed: true });

const behavior = object({ name: str, title: str, threat: num, hits: int });

const rateLevel = object({
  'submission-rate-limit': arrayOf(object({ samples: int, minutes: int, 'submissions-available': int, 'submission-wait-seconds': num })),
  'submission-wait-seconds': num,
  'submissions-available': nullable(int),
});

/** Threat Grid models the /api/v2 and /api/v3 routes answer, in `components.schemas`. */
export const TG_SCHEMAS: Record<string, SchemaObject> = {
  TgSample: object(
    {
      id: str,
      submission_id: int,
      state,
      status: str,
      analyzing: bool,
      md5: str,
      sha1: str,
      sha256: str,
      filename: str,
      login: str,
      tags: arrayOf(str),
      private: bool,
      vm: str,
      os: str,
      playbook: str,
      network_exit: str,
      submitted_at: str,
      started_at: nullable(str),
      completed_at: nullable(str),
      glovebox_url: str,
      permalink: str,
      url: str,
      classification: str,
    },
    { optional: ['glovebox_url'] },
  ),
  TgSamplePage: page(ref('TgSample')),
  TgSampleState: object({ state, status: str }, { closed: true }),
  TgSampleStates: arrayOf(object({ sample: str, state, status: str }, { closed: true })),
  TgThreat: object({
    score: num,
    heuristic_score: num,
    max_severity: num,
    max_confidence: num,
    count: int,
    bis: arrayOf(str),
    behaviors: arrayOf(behavior),
    permalink: str,
  }),
  TgSampleSummary: object({
    sample: str,
    sha256: str,
    md5: str,
    sha1: str,
    filename: str,
    magic_type: str,
    state,
    status: str,
    submitted_at: str,
    completed_at: nullable(str),
    threat_score: nullable(num),
    heuristic_score: nullable(num),
    stats: nullable(object({ iocs: int, artifacts: int, extracted_files: int, domains: int, network: int })),
    behaviors: arrayOf(behavior),
    permalink: str,
  }),
  TgSampleSearchPage: page(object({ sample: str, relation: str, sha256: str, filename: str, state, submitted_at: str })),
  TgSubmissionSearchPage: page(
    object({
      item: object({
        sample: str,
        sha256: str,
        md5: str,
        sha1: str,
        filename: str,
        state,
        status: str,
        submitted_at: str,
        login: str,
        tags: arrayOf(str),
        private: bool,
        vm: str,
        permalink: str,
        analysis: nullable(object({ threat_score: num, heuristic_score: num })),
      }),
    }),
  ),
  TgAnalysis: object(
    { metadata: mapOf(), iocs: arrayOf(mapOf()), artifacts: mapOf(), network: mapOf(), domains: mapOf(), dynamic: mapOf() },
    { description: 'analysis.json as Threat Grid renders it, from Hopper\'s results' },
  ),
  TgAnalysisItems: object({ items: { oneOf: [arrayOf(mapOf()), mapOf()] } }, { closed: true }),
  TgIndicator: object({ ioc: str, title: str, severity: num, confidence: num, hits: int }),
  TgWhoami: object({ login: str, name: str, email: str, title: str, role: oneOfValues('org-admin', 'user'), organization_id: int }, { closed: true }),
  TgRateLimit: object({ user: rateLevel, organization: rateLevel }, { closed: true }),
  TgVms: object({ vms: arrayOf(object({ vm: str, 'display-name': str })) }, { closed: true }),
  TgPlaybooks: object({ playbooks: arrayOf(object({ name: str, display: str, description: str })) }, { closed: true }),
  TgNetworkExits: arrayOf(object({ name: str, simulation: str, description: str })),
};

/** The form fields of `POST /api/v2/samples` besides the file (urlencoded or multipart parts). */
export const TG_SUBMIT_FIELDS: Record<string, string> = {
  api_key: 'The API key (or a Bearer header)',
  url: 'A URL to analyse instead of a file',
  filename: "The sample's name (default: the file part's)",
  tags: 'Comma-separated tags',
  private: 'true: only the caller\'s organization sees it',
  vm: 'One of /api/v3/configuration/vms',
  playbook: 'One of /api/v3/configuration/playbooks',
  network_exit: 'One of /api/v3/configuration/network-exits',
  classify: 'true: add the classify services',
};
