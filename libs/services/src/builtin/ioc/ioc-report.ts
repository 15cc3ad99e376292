import type { ServiceResultInput } from '../../contract/service-result';
import type { IocCollector, IocTagType } from './ioc-collector';

type SectionInput = NonNullable<ServiceResultInput['sections']>[number];
type HeuristicInput = NonNullable<SectionInput['heuristic']>;

/** One heuristic per section, so the score says what kind of IOC was found, not how many. */
export const IOC_HEURISTICS = {
  url: { heur_id: 'IOC.1', name: 'Embedded URL', score: 50 },
  ip: { heur_id: 'IOC.2', name: 'Public IP address', score: 50 },
  email: { heur_id: 'IOC.3', name: 'Email address', score: 10 },
} as const satisfies Record<string, HeuristicInput>;

/** Section bodies list values up to this many characters (the tags carry them all). */
export const MAX_LISTING_CHARS = 64 * 1024;

interface SectionPlan {
  type: IocTagType;
  title: string;
  /** The heuristic when this section earns one (domains alone earn none: every signed binary has some). */
  heuristic: (collector: IocCollector) => HeuristicInput | null;
}

const PLAN: readonly SectionPlan[] = [
  { type: 'network.static.uri', title: 'URLs', heuristic: (c) => (c.sawPublic('network.static.uri') ? IOC_HEURISTICS.url : null) },
  { type: 'network.static.domain', title: 'Domains', heuristic: () => null },
  { type: 'network.static.ip', title: 'IP addresses', heuristic: (c) => (c.sawPublic('network.static.ip') ? IOC_HEURISTICS.ip : null) },
  { type: 'network.email.address', title: 'Email addresses', heuristic: () => IOC_HEURISTICS.email },
];

export interface ScanExtent {
  bytesScanned: number;
  fileSize: number;
  truncated: boolean;
}

/** The IOC result: one section per type found (values listed and tagged), and a note when the scan stopped early. */
export function buildIocResult(collector: IocCollector, extent: ScanExtent): ServiceResultInput {
  const sections: SectionInput[] = [];
  for (const plan of PLAN) {
    const values = collector.values(plan.type);
    if (values.length === 0) continue;
    const notes = collector.capped(plan.type)
      ? [`More were found: only the first ${collector.maxValuesPerType} distinct values are listed and tagged.`]
      : [];
    sections.push({
      title: plan.title,
      body: listing(values, notes),
      body_format: 'TEXT',
      heuristic: plan.heuristic(collector),
      tags: values.map((value) => ({ type: plan.type, value })),
    });
  }
  if (extent.truncated) {
    sections.push({
      title: 'Scan limit reached',
      body: `Only the first ${extent.bytesScanned} bytes of ${extent.fileSize} were searched for IOCs (max_bytes); the rest of the file was not.`,
      body_format: 'TEXT',
      heuristic: null,
      tags: [],
    });
  }
  return { sections, tags: [] };
}

/** Values one per line, cut at MAX_LISTING_CHARS with a count of what was left out, then the notes. */
function listing(values: readonly string[], notes: readonly string[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const value of values) {
    if (length + value.length + 1 > MAX_LISTING_CHARS) {
      lines.push(`... ${values.length - lines.length} more (all of them are tags)`);
      break;
    }
    lines.push(value);
    length += value.length + 1;
  }
  return [...lines, ...notes].join('\n');
}
