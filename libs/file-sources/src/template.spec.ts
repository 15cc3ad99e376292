import { expandTemplate } from './template';

describe('expandTemplate', () => {
  it('replaces every occurrence in a url, encoding the input', () => {
    expect(expandTemplate('https://repo.example/{INPUT}/download?h={INPUT}', '{INPUT}', 'abc', 'url')).toBe(
      'https://repo.example/abc/download?h=abc',
    );
    expect(expandTemplate('https://repo.example/files/{HASH}', '{HASH}', '../admin?x=1#', 'url')).toBe(
      'https://repo.example/files/..%2Fadmin%3Fx%3D1%23',
    );
  });

  it('puts the input into data as it is', () => {
    expect(expandTemplate('{"hash": "$X", "again": "$X"}', '$X', 'a"b', 'data')).toBe('{"hash": "a"b", "again": "a"b"}');
  });

  it('leaves a template without the pattern alone', () => {
    expect(expandTemplate('https://repo.example/latest', '{INPUT}', 'abc', 'url')).toBe('https://repo.example/latest');
  });
});
