import type { ResultFileRef, ResultRecord, ServiceErrorRecord } from '@hopper/datastore';
import type { Clearance } from './clearance';
import { shownErrorKey } from './error-key';
import { sectionHierarchy } from './section-hierarchy';

const iso = (date: Date | string | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

/** Body formats whose body Assemblyline's UI hands over parsed from JSON (`helper/result.py`: JSON_SECTIONS). */
const JSON_BODY_FORMATS = new Set(['GRAPH_DATA', 'IMAGE', 'JSON', 'KEY_VALUE', 'MULTI', 'ORDERED_KEY_VALUE', 'PROCESS_TREE', 'SANDBOX', 'TABLE', 'TIMELINE', 'URL']);

/** A section as services write it and Hopper stores it (libs/services `sectionSchema`). */
interface StoredSection {
  title: string;
  body?: string | null;
  body_format?: string;
  heuristic?: { heur_id: string; name: string; score: number; attack_ids?: string[] } | null;
  tags?: { type: string; value: string }[];
  depth?: number;
}

function parsedBody(section: StoredSection): unknown {
  const body = section.body ?? null;
  if (typeof body !== 'string' || !JSON_BODY_FORMATS.has(section.body_format ?? 'TEXT')) return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * A section as Assemblyline's UI answers it (`format_result`): `title_text`, a classification (Hopper's
 * sections have none of their own: the result's), tags as a list with `short_type`, the heuristic with its
 * `attack` and `signature` lists. Hopper knows an ATT&CK technique by its id only, so `pattern` repeats the id
 * and `categories` is empty; services report no signatures.
 */
export function sectionView(stored: Record<string, unknown>, classification: string) {
  const section = stored as unknown as StoredSection;
  const heuristic = section.heuristic ?? null;
  return {
    auto_collapse: false,
    body: parsedBody(section),
    body_config: null,
    body_format: section.body_format ?? 'TEXT',
    classification,
    depth: section.depth ?? 0,
    heuristic: heuristic && {
      heur_id: heuristic.heur_id,
      name: heuristic.name,
      attack: (heuristic.attack_ids ?? []).map((id) => ({ attack_id: id, pattern: id, categories: [] as string[] })),
      signature: [] as { name: string; frequency: number; safe: boolean }[],
      score: heuristic.score,
    },
    promote_to: null,
    tags: (section.tags ?? []).map(({ type, value }) => ({ safelisted: false, type, value, short_type: type.slice(type.lastIndexOf('.') + 1) })),
    title_text: section.title,
  };
}

export type SectionView = ReturnType<typeof sectionView>;

/** A file a result lists, with Assemblyline's fields; it carries the result's classification. */
function fileRefView(ref: ResultFileRef, classification: string, relation: 'EXTRACTED' | 'INFORMATION') {
  return { ...ref, classification, is_section_image: false, parent_relation: relation, allow_dynamic_recursion: false };
}

/**
 * A result as Assemblyline's UI answers it (the `Result` model through `format_result`). Hopper adds its key
 * under `key` (what the client's result lookups take), its `tags` (every tag once) and `service_category`.
 */
export function resultView(record: ResultRecord) {
  const { _id, classification, response, result } = record;
  return {
    key: _id,
    archive_ts: null,
    classification,
    created: iso(record.created),
    expiry_ts: iso(record.expiry_ts),
    response: {
      milestones: { service_started: iso(response.milestones.service_started), service_completed: iso(response.milestones.service_completed) },
      service_name: response.service_name,
      service_version: response.service_version,
      service_category: response.service_category,
      service_tool_version: null,
      supplementary: response.supplementary.map((ref) => fileRefView(ref, classification, 'INFORMATION')),
      extracted: response.extracted.map((ref) => fileRefView(ref, classification, 'EXTRACTED')),
      service_context: null,
      service_debug_info: null,
    },
    result: { score: result.score, sections: result.sections.map((section) => sectionView(section, classification)) },
    sha256: record.sha256,
    type: record.type,
    size: record.size,
    tags: record.tags,
    drop_file: false,
    partial: false,
    from_archive: false,
  };
}

export type ResultView = ReturnType<typeof resultView>;

/**
 * A result as the UI's `format_result` hands it out for a file: its classification, and its sections', at
 * least the file's; with `hierarchy`, the sections' outline under `section_hierarchy` (`build_hierarchy`),
 * left out as Assemblyline leaves it out when the sections' depths do not nest.
 */
export function fileResultView(record: ResultRecord, fileClassification: string, clearance: Pick<Clearance, 'max'>, options: { hierarchy?: boolean } = {}) {
  const view = resultView(record);
  const classification = clearance.max(view.classification, fileClassification);
  const sections = view.result.sections.map((section) => ({ ...section, classification: clearance.max(section.classification, fileClassification) }));
  const formatted = { ...view, classification, result: { ...view.result, sections } };
  const hierarchy = options.hierarchy ? sectionHierarchy(sections) : null;
  return hierarchy ? { ...formatted, section_hierarchy: hierarchy } : formatted;
}

/**
 * A service error as Assemblyline's Error answers it; Hopper adds its key under `key` (Assemblyline's form,
 * ending `.e<type code>`: see error-key.ts) and the submission's sid.
 */
export function errorView(record: ServiceErrorRecord) {
  const { response } = record;
  return {
    key: shownErrorKey(record),
    archive_ts: null,
    created: iso(record.created),
    expiry_ts: iso(record.expiry_ts),
    response: {
      message: response.message,
      service_debug_info: null,
      service_name: response.service_name,
      service_tool_version: null,
      service_version: response.service_version,
      status: response.status,
    },
    sha256: record.sha256,
    sid: record.sid,
    type: record.type,
    severity: 'error',
  };
}
