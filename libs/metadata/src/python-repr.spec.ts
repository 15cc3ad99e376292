import { pyListRepr, pyRepr, pySetRepr, pyStrRepr } from './python-repr';

describe('Python reprs (as in Assemblyline error texts)', () => {
  it('quotes strings with single quotes, switching to double quotes only for a lone single quote', () => {
    expect(pyStrRepr('abc')).toBe("'abc'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
  });

  it('escapes backslashes, control and other unprintable characters like CPython', () => {
    expect(pyStrRepr('a\\b')).toBe("'a\\\\b'");
    expect(pyStrRepr('a\nb\tc\rd')).toBe("'a\\nb\\tc\\rd'");
    expect(pyStrRepr('\u0000\u007f')).toBe("'\\x00\\x7f'");
    expect(pyStrRepr('\u00a0\u200b')).toBe("'\\xa0\\u200b'");
    expect(pyStrRepr('é漢 ')).toBe("'é漢 '");
    expect(pyStrRepr('\u{e0001}')).toBe("'\\U000e0001'");
  });

  it('renders lists, sets and scalars as Python prints them', () => {
    expect(pyListRepr(['a', 'b'])).toBe("['a', 'b']");
    expect(pyListRepr([])).toBe('[]');
    expect(pySetRepr(['x', 1])).toBe("{'x', 1}");
    expect(pySetRepr([])).toBe('set()');
    expect(pyRepr([true, false, null, 1.5, { k: 'v' }])).toBe("[True, False, None, 1.5, {'k': 'v'}]");
    expect(pyRepr([Infinity, -Infinity, NaN, undefined])).toBe('[inf, -inf, nan, None]');
  });
});
