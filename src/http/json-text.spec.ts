import { jsonText } from './json-text';

describe('jsonText', () => {
  it('serialises like JSON.stringify', () => {
    const bodies: object[] = [
      { a: 1, b: ['x', null], c: { d: true } },
      Object.freeze({ valid: false, code: 'NOT_FOUND' }),
      Object.freeze([1, Object.freeze({ a: 'é' })]),
    ];
    for (const body of bodies) expect(jsonText(body)).toBe(JSON.stringify(body));
  });

  it('gives the same text object for a deeply frozen answer, made once', () => {
    const answer = Object.freeze({ valid: true, scopes: Object.freeze(['a:read']) });
    const first = jsonText(answer);
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(jsonText(answer)).toBe(first);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('serialises again what is not frozen all the way down, and sees it change', () => {
    const scopes = ['a:read'];
    const frozenOnTop = Object.freeze({ scopes });
    expect(jsonText(frozenOnTop)).toBe('{"scopes":["a:read"]}');
    scopes.push('b:write');
    expect(jsonText(frozenOnTop)).toBe('{"scopes":["a:read","b:write"]}');

    const at = new Date('2026-01-01T00:00:00.000Z');
    const withDate = Object.freeze({ at: Object.freeze(at) });
    expect(jsonText(withDate)).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
    at.setTime(0);
    expect(jsonText(withDate)).toBe('{"at":"1970-01-01T00:00:00.000Z"}');

    const open = { n: 1 };
    expect(jsonText(open)).toBe('{"n":1}');
    open.n = 2;
    expect(jsonText(open)).toBe('{"n":2}');
  });
});
