import type { FileRecord, FileTreeNode, SubmissionRecord } from '@hopper/datastore';
import type { AnalysisArtifact } from './threatgrid-analysis';

/**
 * Every file of the submission once, in tree order (depth first, the submitted files and what each one
 * extracted): a file the tree shows twice keeps its first place. A file submitted directly is `submitted` even
 * when another submitted file also extracted it. Before the tree is set (a failed or running submission) the
 * submitted files alone are listed.
 */
export function artifactsOf(submission: SubmissionRecord, files: ReadonlyMap<string, FileRecord>): AnalysisArtifact[] {
  const submitted = new Set(submission.files.map((file) => file.sha256));
  const seen = new Set<string>();
  const artifacts: AnalysisArtifact[] = [];
  const add = (sha256: string, name: string | undefined, type: string, size: number) => {
    if (seen.has(sha256)) return;
    seen.add(sha256);
    const record = files.get(sha256);
    artifacts.push({
      sha256,
      // Threat Grid always has these strings; "" is "not known" (the file's record expired), never an invented hash.
      sha1: record?.sha1 ?? '',
      md5: record?.md5 ?? '',
      size: record?.size ?? size,
      path: name ?? sha256,
      type: record?.type ?? type,
      origin: submitted.has(sha256) ? 'submitted' : 'extracted',
    });
  };
  const walk = (nodes: Record<string, FileTreeNode>) => {
    for (const [sha256, node] of Object.entries(nodes)) {
      // The tree is keyed by sha256 (Assemblyline's shape).
      add(sha256, node.name?.[0], node.type, node.size);
      walk(node.children ?? {});
    }
  };
  if (submission.file_tree) {
    for (const sha256 of Object.keys(submission.file_tree)) submitted.add(sha256);
    walk(submission.file_tree);
  } else {
    for (const file of submission.files) add(file.sha256, file.name, files.get(file.sha256)?.type ?? 'unknown', file.size ?? 0);
  }
  return artifacts;
}

/** Threat Grid's `artifacts` map: keyed "1", "2"… in tree order. */
export function artifactMap(artifacts: readonly AnalysisArtifact[]): Record<string, AnalysisArtifact> {
  const map: Record<string, AnalysisArtifact> = {};
  artifacts.forEach((artifact, index) => {
    map[String(index + 1)] = artifact;
  });
  return map;
}
