import type { ResultRecord } from '@hopper/datastore';
import { summaryMap } from './summary-map';

const result = (sha256: string, sections: Record<string, unknown>[], tags: { type: string; value: string }[]) =>
  ({ sha256, result: { score: 0, sections }, tags }) as unknown as ResultRecord;

describe('summaryMap', () => {
  const tagTypes = { attribution: ['attribution.family'], behavior: [], ioc: ['network.static.domain'] };

  it('maps each file to its heuristics, ATT&CK ids and summary tags, and each of those back to the files', () => {
    const map = summaryMap(
      [
        result('a', [{ heuristic: { heur_id: 'H.1', attack_ids: ['T1059'] } }, { heuristic: null }], [
          { type: 'attribution.family', value: 'Testbot' },
          { type: 'file.string.extracted', value: 'not a summary tag' },
        ]),
        result('b', [{ heuristic: { heur_id: 'H.1' } }], [{ type: 'network.static.domain', value: 'evil.example' }, { type: 'network.static.domain', value: '' }]),
      ],
      tagTypes,
    );
    expect(map).toEqual({
      a: ['attack_pattern__T1059', 'heuristic__H.1', 'attribution.family__Testbot'],
      attack_pattern__T1059: ['a'],
      'heuristic__H.1': ['a', 'b'],
      'attribution.family__Testbot': ['a'],
      b: ['heuristic__H.1', 'network.static.domain__evil.example'],
      'network.static.domain__evil.example': ['b'],
    });
  });
});
