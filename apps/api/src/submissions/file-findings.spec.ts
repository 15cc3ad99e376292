import { fileFindings } from './file-findings';
import type { ResultView } from './result-view';

interface SectionInput {
  heuristic?: { heur_id: string; name: string; score: number; attack?: { attack_id: string; pattern: string; categories: string[] }[] } | null;
  tags?: { type: string; value: string; safelisted?: boolean }[];
  classification?: string;
}

const result = (...sections: SectionInput[]) =>
  ({
    result: {
      score: 0,
      sections: sections.map((section) => ({
        classification: section.classification ?? 'L0',
        heuristic: section.heuristic ? { attack: [], signature: [], ...section.heuristic } : null,
        tags: (section.tags ?? []).map((tag) => ({ safelisted: false, short_type: tag.type.split('.').pop(), ...tag })),
      })),
    },
  }) as unknown as ResultView;

const verdicts = { info: 0, suspicious: 300, malicious: 1000 };
const clearance = { min: (a: string, b: string) => (a < b ? a : b) };

describe('fileFindings (the heuristics, ATT&CK, signatures and tags of a file view)', () => {
  it('lists each heuristic once at its level, highest score first, and the ATT&CK techniques by category', () => {
    const findings = fileFindings(
      [
        result({ heuristic: { heur_id: 'H.1', name: 'Odd', score: 10 } }, { heuristic: { heur_id: 'H.2', name: 'Bad', score: 1000, attack: [{ attack_id: 'T1059', pattern: 'Scripting', categories: ['execution'] }] } }),
        result({ heuristic: { heur_id: 'H.1', name: 'Odd', score: 500 } }),
      ],
      verdicts,
      clearance,
      'by-value',
    );
    expect(findings.heuristics).toEqual({ malicious: [['H.2', 'Bad']], info: [['H.1', 'Odd']] });
    expect(findings.attack_matrix).toEqual({ execution: [['T1059', 'Scripting', 'malicious']] });
    expect(findings.signatures).toEqual([]);
  });

  it("in a submission's file view, a tag seen twice is one entry: malicious or suspicious if either was, else info", () => {
    const twice = [result({ heuristic: { heur_id: 'H.1', name: 'Odd', score: 400 }, tags: [{ type: 'a.b', value: 'v' }] }), result({ tags: [{ type: 'a.b', value: 'v' }], classification: 'L1' })];
    expect(fileFindings(twice, verdicts, clearance, 'by-value').tags).toEqual({ 'a.b': [['v', 'suspicious', false, 'L1']] });
    const safeTwice = [result({ heuristic: { heur_id: 'H.1', name: 'Fine', score: -5 }, tags: [{ type: 'a.b', value: 'v' }] }), result({ heuristic: { heur_id: 'H.1', name: 'Fine', score: -5 }, tags: [{ type: 'a.b', value: 'v' }] })];
    expect(fileFindings(safeTwice, verdicts, clearance, 'by-value').tags).toEqual({ 'a.b': [['v', 'info', false, 'L0']] });
  });

  it("in a file's results view, one entry per value and level, safelisted if either was, at the lower classification", () => {
    const seen = [
      result({ tags: [{ type: 'a.b', value: 'v' }], classification: 'L1' }),
      result({ tags: [{ type: 'a.b', value: 'v', safelisted: true }] }),
      result({ heuristic: { heur_id: 'H.1', name: 'Bad', score: 1000 }, tags: [{ type: 'a.b', value: 'v' }] }),
    ];
    expect(fileFindings(seen, verdicts, clearance, 'by-value-and-level').tags).toEqual({ 'a.b': [['v', 'info', true, 'L0'], ['v', 'malicious', false, 'L0']] });
  });
});
