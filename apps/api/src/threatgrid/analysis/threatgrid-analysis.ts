/**
 * The shape of Threat Grid's `analysis.json` as Hopper renders it: Threat Grid's field names for what clients
 * read (threat, iocs, metadata.malware_desc, dynamic.processes, error), plus Hopper's `observables`,
 * `service_errors` and `warnings`. Served raw, not inside the `{api_version, id, data}` envelope.
 */

export interface MalwareDesc {
  filename: string;
  /** Hopper's (Assemblyline's) file type, e.g. `executable/windows/pe32`. */
  type: string;
  /** libmagic's description; empty when Hopper recorded none. */
  magic: string;
  sha256: string;
  sha1: string;
  md5: string;
  size: number;
}

/** The sandbox run: only there when the dynamic-analysis service produced a result for the sample. */
export interface SandcastleEnv {
  vm: string;
  /** "" when the sample chose none (the sandbox's own default). */
  playbook: string;
  network_exit: string;
  /** Whole seconds the sandbox took (its result's start to end). */
  run_time: number;
}

export interface AnalysisMetadata {
  /** The submitted file(s) whose records are known; empty reads as "file type not supported" to clients. */
  malware_desc: MalwareDesc[];
  analysis_id: string;
  submission_id: number;
  /** Absent when no sandbox ran the sample: never an environment for analysis that did not happen. */
  sandcastle_env?: SandcastleEnv;
  submitted_at: string;
  completed_at: string | null;
  permalink: string;
}

export interface AnalysisThreat {
  threat_score: number;
  /** Hopper's unbounded `max_score`, kept so nothing is lost in the 0–100 mapping. */
  heuristic_score: number;
  max_severity: number;
  max_confidence: number;
  count: number;
}

/** Where one heuristic fired: one entry per section that raised it. */
export interface IndicatorHit {
  sha256: string;
  service: string;
  section_title: string;
}

/** A behavioural indicator: one Assemblyline heuristic, however many sections raised it. */
export interface Indicator {
  ioc: string;
  title: string;
  category: string[];
  severity: number;
  confidence: number;
  hits: number;
  tags: string[];
  data: IndicatorHit[];
}

/** Hopper's easily copied lists (the integration guide's "IPs, Domains, Hashes"), each deduplicated and sorted. */
export interface AnalysisObservables {
  ips: string[];
  domains: string[];
  urls: string[];
  emails: string[];
  hashes: { sha256: string[]; sha1: string[]; md5: string[] };
}

export interface AnalysisDomain {
  ips: string[];
  content_categories: string[];
}

export interface AnalysisNetworkFlow {
  dst: string;
  /** Not known to Hopper: null. */
  dst_port: number | null;
  /** Not known to Hopper: "". */
  protocol: string;
}

export type ArtifactOrigin = 'submitted' | 'extracted';

export interface AnalysisArtifact {
  sha256: string;
  /** "" when the file's record is unknown (expired or never stored). */
  sha1: string;
  md5: string;
  size: number;
  path: string;
  type: string;
  origin: ArtifactOrigin;
}

export interface AnalysisServiceError {
  sha256: string;
  service: string;
  type: string;
  message: string;
}

/**
 * Analysis the sample asked for that did not happen: a selected service that is not there to run
 * (`service_unavailable`), or the dynamic-analysis service giving no result (`dynamic_analysis_not_run`).
 */
export interface AnalysisWarning {
  code: 'service_unavailable' | 'dynamic_analysis_not_run';
  service: string;
  message: string;
}

export interface AnalysisError {
  message: string;
  code: 'analysis_failed';
}

export interface ThreatGridAnalysis {
  metadata: AnalysisMetadata;
  threat: AnalysisThreat;
  iocs: Indicator[];
  dynamic: { processes: unknown };
  observables: AnalysisObservables;
  domains: Record<string, AnalysisDomain>;
  network: Record<string, AnalysisNetworkFlow>;
  artifacts: Record<string, AnalysisArtifact>;
  service_errors: AnalysisServiceError[];
  warnings: AnalysisWarning[];
  /** Present only when the submission failed as a whole. */
  error?: AnalysisError;
  permalink: string;
}
