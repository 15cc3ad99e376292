// Threat Grid's analysis.json, rendered from Hopper's stored submission, files and results (pure).
export { renderAnalysis } from './analysis-report';
export type { AnalysisInput } from './analysis-report';
export { HEURISTIC_CONFIDENCE } from './indicators';
export { indicatorSeverity, threatScore } from './threat-score';
export { threatGridTime } from './threatgrid-time';
export type {
  AnalysisArtifact,
  AnalysisDomain,
  AnalysisError,
  AnalysisMetadata,
  AnalysisNetworkFlow,
  AnalysisObservables,
  AnalysisServiceError,
  AnalysisWarning,
  AnalysisThreat,
  ArtifactOrigin,
  Indicator,
  IndicatorHit,
  MalwareDesc,
  SandcastleEnv,
  ThreatGridAnalysis,
} from './threatgrid-analysis';
