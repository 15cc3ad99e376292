import { parseJsonObject } from './strict-json';

const message = (text: string) => {
  try {
    parseJsonObject(text, 'json part');
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('parseJsonObject', () => {
  it('accepts a JSON object', () => {
    expect(parseJsonObject('{"name":"a","metadata":{"k":[1,2]}}', 'json part')).toEqual({ name: 'a', metadata: { k: [1, 2] } });
  });

  it('refuses other top-level types, bad JSON, NaN and Infinity', () => {
    expect(message('[1]')).toBe('The json part must be a JSON object');
    expect(message('"x"')).toBe('The json part must be a JSON object');
    expect(message('null')).toBe('The json part must be a JSON object');
    expect(message('{"a":')).toMatch(/^The json part is not valid JSON: /);
    expect(message('{"a":NaN}')).toMatch(/^The json part is not valid JSON: /);
    expect(message('{"a":Infinity}')).toMatch(/^The json part is not valid JSON: /);
  });

  it('refuses text that carries the replacement character of invalid UTF-8', () => {
    expect(message('{"a":"\uFFFD"}')).toBe('The json part is not valid UTF-8');
  });

  it('refuses nesting deeper than 32 levels and accepts 32', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    expect(message(nested(32))).toBe('accepted');
    expect(message(nested(33))).toBe('The json part is nested deeper than 32 levels');
  });
});
