import type { FileRecord, ResultRecord, ServiceErrorRecord, SubmissionRecord } from '@hopper/datastore';
import { artifactMap, artifactsOf } from './artifacts';
import { compareCodeUnits } from './code-unit-order';
import { indicatorsOf } from './indicators';
import { domainsOf, networkOf, observablesOf } from './observables';
import { threatScore } from './threat-score';
import { runSeconds, threatGridTime } from './threatgrid-time';
import type { AnalysisServiceError, AnalysisWarning, MalwareDesc, SandcastleEnv, ThreatGridAnalysis } from './threatgrid-analysis';
import { submissionIdOf } from '../samples/sample-view';

/** Everything the renderer reads; the caller fetches it (this module does no I/O). */
export interface AnalysisInput {
  /** Threat Grid's sample id for the submission. */
  sampleId: string;
  permalink: string;
  submission: SubmissionRecord;
  /** By sha256: every file of the tree whose record is known. */
  files: Map<string, FileRecord>;
  results: ResultRecord[];
  errors: ServiceErrorRecord[];
  /** The parsed `processes.json` supplementary file, when a service produced one. */
  processes: unknown | null;
  /** threatgrid.dynamic_service: the sandbox whose result makes a sandbox run. */
  dynamicService: string;
  vm: string | null;
  playbook: string | null;
  network_exit: string | null;
}

/** The submitted files whose records are known, in submission order, named as submitted. */
function malwareDescOf(submission: SubmissionRecord, files: ReadonlyMap<string, FileRecord>): MalwareDesc[] {
  return submission.files.flatMap((file): MalwareDesc[] => {
    const record = files.get(file.sha256);
    if (!record) return [];
    const { type, sha256, sha1, md5, size } = record;
    return [{ filename: file.name, type, magic: record.magic ?? '', sha256, sha1, md5, size }];
  });
}

function serviceErrorsOf(errors: readonly ServiceErrorRecord[]): AnalysisServiceError[] {
  return errors
    .map((error) => ({ sha256: error.sha256, service: error.response.service_name, type: error.type, message: error.response.message }))
    .sort((a, b) => compareCodeUnits(a.sha256, b.sha256) || compareCodeUnits(a.service, b.service));
}

/** The sandbox run: the dynamic service's result on a submitted file, else nothing (no run to describe). */
function sandcastleEnvOf(input: AnalysisInput): SandcastleEnv | undefined {
  const submitted = new Set(input.submission.files.map((file) => file.sha256));
  const run = input.results.find((result) => result.response.service_name === input.dynamicService && submitted.has(result.sha256));
  if (!run) return undefined;
  const { service_started, service_completed } = run.response.milestones;
  return { vm: input.vm ?? '', playbook: input.playbook ?? '', network_exit: input.network_exit ?? '', run_time: runSeconds(service_started, service_completed) };
}

/**
 * What the sample asked for and did not get: each selected service that is not there to run (the dispatcher's
 * SERVICE DOWN errors), and the dynamic service when the sample selected it and it gave no result. Without
 * these, a sample no sandbox ran would read as a clean sandbox run.
 */
function warningsOf(input: AnalysisInput, ran: boolean): AnalysisWarning[] {
  const warnings: AnalysisWarning[] = [];
  const unavailable = new Map<string, string>();
  for (const error of input.errors) if (error.type === 'SERVICE DOWN') unavailable.set(error.response.service_name, error.response.message);
  for (const [service, message] of [...unavailable].sort(([a], [b]) => compareCodeUnits(a, b))) warnings.push({ code: 'service_unavailable', service, message });
  const services = (input.submission.params as { services?: { selected?: string[]; excluded?: string[] } }).services;
  const selected = services?.selected?.includes(input.dynamicService) && !services.excluded?.includes(input.dynamicService);
  if (selected && !ran && !unavailable.has(input.dynamicService)) {
    const failure = input.errors.find((error) => error.response.service_name === input.dynamicService);
    warnings.push({
      code: 'dynamic_analysis_not_run',
      service: input.dynamicService,
      message: failure
        ? `${input.dynamicService} did not complete its run of this sample (${failure.response.message}): there is no dynamic analysis`
        : `${input.dynamicService} gave no result for this sample (it does not take files of this type, or the analysis ended before it ran): there is no dynamic analysis`,
    });
  }
  return warnings;
}

/**
 * Threat Grid's `analysis.json` for one Hopper submission. Pure: the same input renders the same document.
 * A top-level `error` appears only when the submission failed as a whole; a service's failure on one file is
 * reported in `service_errors`, because clients read `error` as "no analysis".
 */
export function renderAnalysis(input: AnalysisInput): ThreatGridAnalysis {
  const { submission } = input;
  const iocs = indicatorsOf(input.results);
  const artifacts = artifactsOf(submission, input.files);
  const observables = observablesOf(input.results, artifacts);
  const sandcastle = sandcastleEnvOf(input);
  const analysis: ThreatGridAnalysis = {
    metadata: {
      malware_desc: malwareDescOf(submission, input.files),
      analysis_id: input.sampleId,
      submission_id: submission.threatgrid?.submission_id ?? submissionIdOf(submission.sid),
      ...(sandcastle ? { sandcastle_env: sandcastle } : {}),
      submitted_at: threatGridTime(submission.times.submitted),
      completed_at: submission.times.completed === null ? null : threatGridTime(submission.times.completed),
      permalink: input.permalink,
    },
    threat: {
      threat_score: threatScore(submission.max_score),
      heuristic_score: submission.max_score,
      max_severity: Math.max(0, ...iocs.map((ioc) => ioc.severity)),
      max_confidence: Math.max(0, ...iocs.map((ioc) => ioc.confidence)),
      count: iocs.length,
    },
    iocs,
    dynamic: { processes: input.processes ?? {} },
    observables,
    domains: domainsOf(observables),
    network: networkOf(observables),
    artifacts: artifactMap(artifacts),
    service_errors: serviceErrorsOf(input.errors),
    warnings: warningsOf(input, sandcastle !== undefined),
    permalink: input.permalink,
  };
  if (submission.state === 'failed') analysis.error = { message: submission.failure ?? 'Analysis failed', code: 'analysis_failed' };
  return analysis;
}
