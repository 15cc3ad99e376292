/**
 * The shape of Threat Grid's `analysis.json` as Hopper renders it: Threat Grid's field names for what clients
 * read (threat, iocs, metadata.malware_desc, dynamic.processes, error), plus Hopper's `observables` and
 * `service_errors`. Served raw, not inside the `{api_version, id, data}` envelope.
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

export interface SandcastleEnv {
  vm: string | null;
  playbook: string | null;
  network_exit: string | null;
  /** Whole seconds from submission to completion; 0 while running. */
  run_time: number;
}

export interface AnalysisMetadata {
  /** The submitted file(s) whose records are known; empty reads as "file type not supported" to clients. */
  malware_desc: MalwareDesc[];
  analysis_id: string;
  submission_id: number;
  sandcastle_env: SandcastleEnv;
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
}

export type ArtifactOrigin = 'submitted' | 'extracted';

export interface AnalysisArtifact {
  sha256: string;
  /** Null when the file's record is unknown (expired or never stored). */
  sha1: string | null;
  md5: string | null;
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
  /** Present only when the submission failed as a whole. */
  error?: AnalysisError;
  permalink: string;
}
