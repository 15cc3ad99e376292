import { sourcesVisibleTo } from './source-access';

describe('sourcesVisibleTo', () => {
  const levels = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER'];
  const access = { isAccessible: (user: string, item: string) => levels.indexOf(user) >= levels.indexOf(item) };
  const sources = [
    { name: 'open', url: 'https://a.example/{INPUT}' },
    { name: 'green', url: 'https://b.example/{INPUT}', classification: 'TLP:GREEN' },
    { name: 'amber', url: 'https://c.example/{INPUT}', classification: 'TLP:AMBER' },
  ];

  it('keeps the sources the clearance covers, in order', () => {
    expect(sourcesVisibleTo('TLP:CLEAR', sources, access).map((s) => s.name)).toEqual(['open']);
    expect(sourcesVisibleTo('TLP:GREEN', sources, access).map((s) => s.name)).toEqual(['open', 'green']);
    expect(sourcesVisibleTo('TLP:AMBER', sources, access).map((s) => s.name)).toEqual(['open', 'green', 'amber']);
  });
});
