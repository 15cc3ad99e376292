import type { ResultRecord } from '@hopper/datastore';
import type { Clearance } from './clearance';
import { summaryView, SummaryInput } from './submission-summary-view';

/** Three levels, L0 < L1 < L2; the caller is cleared for L1. */
const order = ['L0', 'L1', 'L2'];
const clearance: Clearance = {
  UNRESTRICTED: 'L0',
  maySee: (c12n) => order.indexOf(c12n) <= 1,
  max: (a, b) => (order.indexOf(a) >= order.indexOf(b) ? a : b),
  min: (a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b),
};

interface SectionInput {
  title?: string;
  heuristic?: { heur_id: string; name: string; score: number; attack_ids?: string[] } | null;
  tags?: { type: string; value: string }[];
  body?: string;
  body_format?: string;
}

const result = (key: string, classification: string, sections: SectionInput[], fileTags: { type: string; value: string }[] = []): ResultRecord =>
  ({
    _id: key,
    sha256: key.slice(0, 64),
    classification,
    created: new Date(0),
    expiry_ts: null,
    response: { service_name: 'S', service_version: '1', service_category: 'Static Analysis', extracted: [], supplementary: [], milestones: { service_started: new Date(0), service_completed: new Date(0) } },
    result: { score: 0, sections: sections.map((section) => ({ title: 'section', heuristic: null, tags: [], ...section })) },
    tags: [...fileTags, ...sections.flatMap((section) => section.tags ?? [])],
  }) as unknown as ResultRecord;

const fileA = 'a'.repeat(64);
const fileB = 'b'.repeat(64);

const input = (results: ResultRecord[], files: Record<string, string> = {}): SummaryInput => ({
  results,
  fileClassifications: new Map(Object.entries(files)),
  clearance,
  verdicts: { info: 0, suspicious: 300, malicious: 1000 },
  tagTypes: { attribution: ['attribution.family'], behavior: ['file.behavior'], ioc: ['network.static.domain'] },
  partial: false,
});

describe('summaryView (Assemblyline get_summary over get_summary_from_keys)', () => {
  it('lists heuristics as [heur_id, name] pairs under the levels raised only, and maps files to them', () => {
    const summary = summaryView(
      input([
        result(`${fileA}.S.v1.c1`, 'L0', [
          { title: 'low', heuristic: { heur_id: 'H.1', name: 'Odd', score: 10 } },
          { title: 'high', heuristic: { heur_id: 'H.2', name: 'Bad', score: 1000, attack_ids: ['T1059'] } },
          { title: 'safe', heuristic: { heur_id: 'H.3', name: 'Fine', score: -100 } },
        ]),
        result(`${fileB}.S.v1.c1`, 'L0', [{ heuristic: { heur_id: 'H.1', name: 'Odd', score: 10 } }]),
      ]),
    );
    expect(summary.heuristics).toEqual({ info: [['H.1', 'Odd']], safe: [['H.3', 'Fine']], malicious: [['H.2', 'Bad']] });
    expect(summary.heuristic_name_map).toEqual({ Bad: ['H.2'], Odd: ['H.1'], Fine: ['H.3'] });
    expect(summary.map['heuristic__H.1']).toEqual([fileA, fileB]);
    expect(summary.map[fileA]).toEqual(['attack_pattern__T1059', 'heuristic__H.1', 'heuristic__H.3', 'heuristic__H.2']);
    // Hopper has no ATT&CK categories: nothing to put in the matrix.
    expect(summary.attack_matrix).toEqual({});
    expect(summary).toMatchObject({ classification: 'L0', filtered: false, partial: false });
  });

  it('keeps each distinct section of a heuristic, as the UI cleans it (JSON bodies parsed, tags listed)', () => {
    const section = { title: 'Found', heuristic: { heur_id: 'H.1', name: 'Odd', score: 10 }, body: '{"k": 1}', body_format: 'KEY_VALUE', tags: [{ type: 'file.behavior', value: 'x' }] };
    const summary = summaryView(input([result(`${fileA}.S.v1.c1`, 'L0', [section, section]), result(`${fileB}.S.v1.c1`, 'L0', [section])]));
    expect(summary.heuristic_sections['H.1']).toEqual([
      expect.objectContaining({ title_text: 'Found', body: { k: 1 }, tags: [{ type: 'file.behavior', value: 'x', short_type: 'behavior', safelisted: false }] }),
    ]);
  });

  it('groups tags by summary type, each value at its highest level with the least restrictive classification; file-level tags are info', () => {
    const summary = summaryView(
      input(
        [
          result(`${fileA}.S.v1.c1`, 'L1', [{ heuristic: { heur_id: 'H.1', name: 'Odd', score: 10 }, tags: [{ type: 'attribution.family', value: 'Bot' }] }], [{ type: 'network.static.domain', value: 'evil.example' }]),
          result(`${fileB}.S.v1.c1`, 'L0', [{ heuristic: { heur_id: 'H.2', name: 'Bad', score: 2000 }, tags: [{ type: 'attribution.family', value: 'Bot' }, { type: 'file.other', value: 'ignored' }] }]),
        ],
        { [fileA]: 'L1', [fileB]: 'L0' },
      ),
    );
    expect(summary.tags).toEqual({
      behavior: {},
      attribution: { 'attribution.family': [['Bot', 'malicious', false, 'L0']] },
      ioc: { 'network.static.domain': [['evil.example', 'info', false, 'L1']] },
    });
    expect(summary.map['attribution.family__Bot']).toEqual([fileA, fileB]);
    expect(summary.map).not.toHaveProperty('file.other__ignored');
    expect(summary.classification).toBe('L1');
  });

  it('leaves out what the caller may not see, by the higher of the file and the section, and says it filtered', () => {
    const summary = summaryView(
      input(
        [
          result(`${fileA}.S.v1.c1`, 'L0', [{ heuristic: { heur_id: 'H.1', name: 'Odd', score: 10 }, tags: [{ type: 'attribution.family', value: 'Hidden' }] }]),
          result(`${fileB}.S.v1.c1`, 'L0', [{ heuristic: { heur_id: 'H.2', name: 'Bad', score: 2000 } }]),
        ],
        { [fileA]: 'L2', [fileB]: 'L0' },
      ),
    );
    expect(summary).toMatchObject({ filtered: true, classification: 'L0', heuristics: { malicious: [['H.2', 'Bad']] } });
    expect(summary.tags.attribution).toEqual({});
    expect(summary.map).not.toHaveProperty(fileA);
  });
});
